//! UTF-8 that was decoded as Windows-1252 (or Latin-1) and saved again:
//! each original multi-byte character shows as two to four characters, such
//! as "â€™" for "’" or "Ã©" for "é".

/// The Windows-1252 byte a character was decoded from, if it came from a byte
/// in 0x80..=0xFF (C1 controls stand for the five bytes Windows-1252 leaves
/// undefined, as Latin-1 decoders produce them).
fn cp1252_byte(c: char) -> Option<u8> {
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        '\u{80}'..='\u{FF}' => c as u32 as u8,
        _ => return None,
    };
    Some(b)
}

/// If `s` starts with the Windows-1252 rendering of one UTF-8 encoded
/// non-ASCII character, the byte length of that rendering and the character.
pub fn repair_at(s: &str) -> Option<(usize, char)> {
    let mut chars = s.char_indices();
    let (_, first) = chars.next()?;
    let lead = cp1252_byte(first)?;
    let need = match lead {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return None,
    };
    let mut buf = [lead, 0, 0, 0];
    let mut len = first.len_utf8();
    for slot in buf.iter_mut().skip(1).take(need) {
        let (_, c) = chars.next()?;
        let b = cp1252_byte(c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *slot = b;
        len += c.len_utf8();
    }
    let fixed = std::str::from_utf8(&buf[..=need]).ok()?.chars().next()?;
    Some((len, fixed))
}

#[cfg(test)]
mod tests {
    use super::repair_at;

    #[test]
    fn repairs_common_sequences() {
        assert_eq!(repair_at("â€™s"), Some((8, '’')));
        assert_eq!(repair_at("â€œ"), Some((7, '“')));
        assert_eq!(repair_at("Ã©"), Some((4, 'é')));
        assert_eq!(repair_at("Â\u{a0}"), Some((4, '\u{a0}')));
        assert_eq!(repair_at("é"), None);
        assert_eq!(repair_at("Ã"), None);
        assert_eq!(repair_at("’s"), None);
    }
}
