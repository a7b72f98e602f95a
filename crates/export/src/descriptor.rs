//! `datapackage.json` (Frictionless Data Package) and `manifest.json`.

use std::io::Read;
use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::schema::{PARTIAL_TABLES, TABLES, TableSpec, Type};
use crate::writer::FileDigest;
use crate::{Error, Formats};

fn field(c: &crate::schema::Column) -> Value {
    let mut f = json!({ "name": c.name, "type": c.ty.frictionless(), "description": c.description });
    let mut constraints = serde_json::Map::new();
    if !c.nullable {
        constraints.insert("required".into(), json!(true));
    }
    if matches!(c.ty, Type::U32 | Type::U64) {
        constraints.insert("minimum".into(), json!(0));
    }
    if !constraints.is_empty() {
        f["constraints"] = Value::Object(constraints);
    }
    match c.ty {
        Type::U32 => f["x_arrow_type"] = json!("int32"),
        Type::U64 | Type::Hash => f["x_arrow_type"] = json!("int64"),
        Type::Timestamp => f["x_arrow_type"] = json!("timestamp[us]"),
        _ => {}
    }
    f
}

fn resource(t: &TableSpec, formats: Formats) -> Value {
    let fields: Vec<Value> = t.columns.iter().map(field).collect();
    let foreign_keys: Vec<Value> = t
        .foreign_keys
        .iter()
        .map(|fk| {
            let resource = if fk.table == t.name { "" } else { fk.table };
            json!({ "fields": fk.columns, "reference": { "resource": resource, "fields": fk.references } })
        })
        .collect();
    let mut schema = json!({ "fields": fields, "missingValues": [""] });
    if !t.primary_key.is_empty() {
        schema["primaryKey"] = json!(t.primary_key);
    }
    if !foreign_keys.is_empty() {
        schema["foreignKeys"] = json!(foreign_keys);
    }
    let mut r = if formats.csv {
        json!({
            "name": t.name,
            "path": format!("{}.csv", t.name),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true },
        })
    } else {
        json!({
            "name": t.name,
            "path": format!("{}.parquet", t.name),
            "profile": "tabular-data-resource",
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
        })
    };
    r["description"] = json!(format!("{} Rows are ordered by {}.", t.description, t.order));
    r["schema"] = schema;
    if formats.parquet {
        r["x_parquet"] =
            json!({ "path": format!("{}.parquet", t.name), "mediatype": "application/vnd.apache.parquet", "compression": "zstd" });
    }
    r
}

/// Write `datapackage.json` into `dir`.
/// `written` names the tables written (`tokens` is optional).
pub fn write_datapackage(dir: &Path, formats: Formats, written: &[&str]) -> Result<(), Error> {
    let pkg = json!({
        "profile": "tabular-data-package",
        "name": "hustings-corpus",
        "title": "Documents, comments and token statistics extracted by hustings",
        "description": "Tables made by hustings from a folder of scraped blog and news pages. Every table is written as CSV (the resource path) and as Parquet (x_parquet.path) with the same rows in the same order.",
        "version": env!("CARGO_PKG_VERSION"),
        "x_generator": { "name": "hustings", "version": env!("CARGO_PKG_VERSION") },
        "resources": TABLES.iter().chain(PARTIAL_TABLES).filter(|t| written.contains(&t.name)).map(|t| resource(t, formats)).collect::<Vec<_>>(),
    });
    write_json(&dir.join("datapackage.json"), &pkg)
}

fn write_json(path: &Path, v: &Value) -> Result<(), Error> {
    let mut text = serde_json::to_string_pretty(v).map_err(|e| Error::Schema(e.to_string()))?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

fn file_entry(path: &Path) -> Result<Value, Error> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        hasher.update(&buf[..n]);
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(json!({ "path": name, "bytes": bytes, "sha256": hustings_core::hex(&hasher.finalize()) }))
}

/// Write `manifest.json` into `dir`: every file's size, SHA-256 and rows.
/// Files in `written` carry the digest taken as they were written; any
/// other is read back.
pub fn write_manifest(dir: &Path, formats: Formats, rows: &[(&'static str, u64)], written: &[FileDigest]) -> Result<(), Error> {
    let entry = |file: String| match written.iter().find(|d| d.name == file) {
        Some(d) => Ok(json!({ "path": d.name, "bytes": d.bytes, "sha256": d.sha256 })),
        None => file_entry(&dir.join(file)),
    };
    let mut tables = Vec::new();
    for &(name, n) in rows {
        let mut files = Vec::new();
        if formats.csv {
            files.push(entry(format!("{name}.csv"))?);
        }
        if formats.parquet {
            files.push(entry(format!("{name}.parquet"))?);
        }
        tables.push(json!({ "name": name, "rows": n, "files": files }));
    }
    let manifest = json!({
        "tool": "hustings",
        "version": env!("CARGO_PKG_VERSION"),
        "tables": tables,
        "descriptor": file_entry(&dir.join("datapackage.json"))?,
    });
    write_json(&dir.join("manifest.json"), &manifest)
}
