//! Print the data dictionary for README.md.
fn main() {
    print!("{}", hustings_export::schema::dictionary_markdown());
}
