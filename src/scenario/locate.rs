//! Mapping field paths in a scenario file back to source positions.
//!
//! Scenario files (TOML or JSON) are validated after they have been parsed,
//! and semantic errors name the offending field with a [`FieldPath`] such as
//! `roster.handlers.shifts[2].count`. This module turns such a path back into
//! a line and column in the original text, so that an error can be reported
//! as `file:line:col`.
//!
//! TOML positions come from the spans recorded by the `toml` crate's
//! document parser. JSON positions come from a small scanner in this module,
//! since `serde_json` does not keep spans.

use std::fmt;

use toml::de::{DeArray, DeTable, DeValue};

/// The syntax of a scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// TOML 1.x.
    Toml,
    /// JSON (RFC 8259).
    Json,
}

/// One step of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSeg {
    /// A member of a table or object.
    Key(String),
    /// An element of an array (0-based).
    Index(usize),
}

/// The path of a field inside a scenario document, e.g.
/// `roster.handlers.shifts[2].count`.
///
/// The empty path denotes the document itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<PathSeg>);

/// How the root path is displayed (and accepted by [`FieldPath::parse`]).
const ROOT_DISPLAY: &str = "(top level)";

impl FieldPath {
    /// The path of the whole document.
    #[must_use]
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// Returns a new path with the key `k` appended.
    #[must_use]
    pub fn key(&self, k: &str) -> Self {
        self.with(PathSeg::Key(k.to_owned()))
    }

    /// Returns a new path with the array index `i` appended.
    #[must_use]
    pub fn index(&self, i: usize) -> Self {
        self.with(PathSeg::Index(i))
    }

    /// Whether this is the path of the whole document.
    #[must_use]
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    fn with(&self, seg: PathSeg) -> Self {
        let mut segs = Vec::with_capacity(self.0.len() + 1);
        segs.extend_from_slice(&self.0);
        segs.push(seg);
        Self(segs)
    }

    /// Parses the textual form produced by [`Display`](fmt::Display).
    ///
    /// Keys are either bare (`[A-Za-z0-9_-]+`) or double-quoted with the
    /// escapes `\\`, `\"`, `\n`, `\r`, `\t` and `\u{HEX}`; indices are
    /// written `[N]`. Examples: `a.b[2].c`, `a."x y".c`, `[0].name`.
    /// The empty string and `(top level)` both give the root path.
    /// Returns `None` on malformed input.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        if s.is_empty() || s == ROOT_DISPLAY {
            return Some(Self::root());
        }
        let mut chars = s.chars().peekable();
        let mut segs = Vec::new();
        loop {
            match chars.peek() {
                Some('[') => {
                    chars.next();
                    let mut digits = String::new();
                    while let Some(c) = chars.next_if(char::is_ascii_digit) {
                        digits.push(c);
                    }
                    if chars.next() != Some(']') {
                        return None;
                    }
                    segs.push(PathSeg::Index(digits.parse().ok()?));
                }
                Some('.') if !segs.is_empty() => {
                    chars.next();
                    segs.push(PathSeg::Key(parse_key(&mut chars)?));
                }
                Some(_) if segs.is_empty() => segs.push(PathSeg::Key(parse_key(&mut chars)?)),
                Some(_) => return None,
                None => return Some(Self(segs)),
            }
        }
    }
}

/// Parses one bare or quoted key at the front of `chars`.
fn parse_key(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    let mut key = String::new();
    if chars.next_if_eq(&'"').is_none() {
        while let Some(c) = chars.next_if(|&c| is_bare_key_char(c)) {
            key.push(c);
        }
        return (!key.is_empty()).then_some(key);
    }
    loop {
        match chars.next()? {
            '"' => return Some(key),
            '\\' => key.push(match chars.next()? {
                '\\' => '\\',
                '"' => '"',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => {
                    chars.next_if_eq(&'{')?;
                    let mut hex = String::new();
                    while let Some(c) = chars.next_if(char::is_ascii_hexdigit) {
                        hex.push(c);
                    }
                    chars.next_if_eq(&'}')?;
                    if hex.is_empty() || hex.len() > 6 {
                        return None;
                    }
                    char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                }
                _ => return None,
            }),
            c => key.push(c),
        }
    }
}

fn is_bare_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn write_key(f: &mut fmt::Formatter<'_>, key: &str) -> fmt::Result {
    if !key.is_empty() && key.chars().all(is_bare_key_char) {
        return f.write_str(key);
    }
    f.write_str("\"")?;
    for c in key.chars() {
        match c {
            '\\' => f.write_str("\\\\")?,
            '"' => f.write_str("\\\"")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c.is_control() => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_root() {
            return f.write_str(ROOT_DISPLAY);
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    write_key(f, k)?;
                }
                PathSeg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based position in a scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Whether the whole path was found; if `false` the position is that of
    /// the deepest prefix of the path present in the document.
    pub exact: bool,
}

/// 1-based (line, column) of a byte offset in text (column counts chars, not bytes).
///
/// Offsets past the end are clamped to the end of `text`; an offset inside a
/// multi-byte character refers to that character.
#[must_use]
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let mut end = byte.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
    let column = 1 + before[line_start..].chars().count();
    (line, column)
}

/// Where `path` is in `text`. Returns the position of the deepest prefix of `path` that exists
/// in the document (for a key: the position of the key itself where the format has one, e.g. the
/// `count` in `count = 0`; for an array element: the start of the element), and whether the whole
/// path was found. Returns None only when the text does not parse at all or not even the first
/// segment exists (then callers fall back to line 1).
///
/// The root path is located at the start of the document's top-level value.
#[must_use]
pub fn locate(text: &str, format: Format, path: &FieldPath) -> Option<Location> {
    let found = match format {
        Format::Toml => toml_offsets(text, &path.0)?,
        Format::Json => json_offsets(text, &path.0)?,
    };
    let (&offset, matched) = match found.last() {
        Some(last) => (last, found.len()),
        None if path.is_root() => (&root_offset(text, format), 0),
        None => return None,
    };
    let (line, column) = line_col(text, offset);
    Some(Location {
        line,
        column,
        exact: matched == path.0.len(),
    })
}

/// Start of the top-level value: the document start for TOML, the first
/// non-whitespace byte for JSON.
fn root_offset(text: &str, format: Format) -> usize {
    match format {
        Format::Toml => 0,
        Format::Json => text.len() - text.trim_start_matches(is_json_ws_char).len(),
    }
}

/// Byte offsets of the matched prefix of `path` (one per matched segment),
/// or `None` if `text` is not valid TOML.
///
/// Keys are reported at the key token (for tables defined by a header, the
/// key's last occurrence in the header, e.g. `c` in `[a.b.c]`; for a table
/// named by several headers, the one that defines it explicitly); array
/// elements at their start, which for arrays of tables is the `[[...]]`
/// header of that element.
fn toml_offsets(text: &str, path: &[PathSeg]) -> Option<Vec<usize>> {
    enum Node<'a, 'i> {
        Table(&'a DeTable<'i>),
        Array(&'a DeArray<'i>),
        Leaf,
    }

    let doc = DeTable::parse(text).ok()?;
    let mut node = Node::Table(doc.get_ref());
    let mut found = Vec::new();
    for seg in path {
        let (offset, value) = match (seg, node) {
            (PathSeg::Key(k), Node::Table(t)) => match t.get_key_value(k.as_str()) {
                Some((key, value)) => (key.span().start, value),
                None => break,
            },
            (PathSeg::Index(i), Node::Array(a)) => match a.get(*i) {
                Some(value) => (value.span().start, value),
                None => break,
            },
            _ => break,
        };
        found.push(offset);
        node = match value.get_ref() {
            DeValue::Table(t) => Node::Table(t),
            DeValue::Array(a) => Node::Array(a),
            _ => Node::Leaf,
        };
    }
    Some(found)
}

/// Byte offsets of the matched prefix of `path` (one per matched segment),
/// or `None` if `text` is not valid JSON.
fn json_offsets(text: &str, path: &[PathSeg]) -> Option<Vec<usize>> {
    let mut scanner = JsonScanner {
        bytes: text.as_bytes(),
        pos: 0,
        path,
        found: Vec::new(),
    };
    scanner.skip_ws();
    scanner.value(Some(0), 0).ok()?;
    scanner.skip_ws();
    if scanner.pos != scanner.bytes.len() {
        return None;
    }
    Some(scanner.found)
}

/// Nesting limit for JSON arrays and objects, in line with `serde_json`'s
/// default; deeper documents are treated as malformed.
const JSON_MAX_DEPTH: usize = 128;

fn is_json_ws_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Marker error: the JSON text is malformed.
struct Malformed;

type Scan<T = ()> = Result<T, Malformed>;

/// A validating single-pass JSON scanner that records where the segments of
/// `path` occur.
///
/// It always scans the whole document so that malformed input is rejected
/// consistently, whatever the path. For duplicate object keys the last
/// occurrence wins, as when the document is deserialised into a map.
struct JsonScanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: &'a [PathSeg],
    /// `found[d]` is the offset of `path[d]`, for the matched prefix.
    found: Vec<usize>,
}

impl JsonScanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Scan<u8> {
        let b = self.peek().ok_or(Malformed)?;
        self.pos += 1;
        Ok(b)
    }

    fn expect(&mut self, want: u8) -> Scan {
        if self.bump()? == want {
            Ok(())
        } else {
            Err(Malformed)
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Records that `path[depth]` starts at `offset`, discarding any deeper
    /// match from an earlier duplicate key.
    fn record(&mut self, depth: usize, offset: usize) {
        self.found.truncate(depth);
        self.found.push(offset);
    }

    /// Scans one value. `level` is `Some(d)` when this value is the one at
    /// `path[..d]`, so that its children may match `path[d]`.
    fn value(&mut self, level: Option<usize>, nesting: usize) -> Scan {
        match self.peek().ok_or(Malformed)? {
            b'{' => self.object(level, nesting + 1),
            b'[' => self.array(level, nesting + 1),
            b'"' => self.string().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(Malformed),
        }
    }

    fn object(&mut self, level: Option<usize>, nesting: usize) -> Scan {
        if nesting > JSON_MAX_DEPTH {
            return Err(Malformed);
        }
        let wanted = match level.and_then(|d| Some((d, self.path.get(d)?))) {
            Some((d, PathSeg::Key(k))) => Some((d, k.as_str())),
            _ => None,
        };
        self.expect(b'{')?;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            let key_start = self.pos;
            let key = self.string()?;
            let child = match wanted {
                Some((d, k)) if key == k => {
                    self.record(d, key_start);
                    Some(d + 1)
                }
                _ => None,
            };
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            self.value(child, nesting)?;
            self.skip_ws();
            match self.bump()? {
                b',' => self.skip_ws(),
                b'}' => return Ok(()),
                _ => return Err(Malformed),
            }
        }
    }

    fn array(&mut self, level: Option<usize>, nesting: usize) -> Scan {
        if nesting > JSON_MAX_DEPTH {
            return Err(Malformed);
        }
        let wanted = match level.and_then(|d| Some((d, self.path.get(d)?))) {
            Some((d, &PathSeg::Index(i))) => Some((d, i)),
            _ => None,
        };
        self.expect(b'[')?;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        let mut index = 0usize;
        loop {
            let child = match wanted {
                Some((d, i)) if i == index => {
                    self.record(d, self.pos);
                    Some(d + 1)
                }
                _ => None,
            };
            self.value(child, nesting)?;
            self.skip_ws();
            match self.bump()? {
                b',' => self.skip_ws(),
                b']' => return Ok(()),
                _ => return Err(Malformed),
            }
            index = index.saturating_add(1);
        }
    }

    fn literal(&mut self, word: &[u8]) -> Scan {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(Malformed)
        }
    }

    fn digits(&mut self) -> Scan {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        if self.pos == start {
            Err(Malformed)
        } else {
            Ok(())
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Scan {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else {
            self.digits()?;
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.digits()?;
        }
        Ok(())
    }

    fn hex4(&mut self) -> Scan<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = char::from(self.bump()?).to_digit(16).ok_or(Malformed)?;
            n = n * 16 + digit;
        }
        Ok(n)
    }

    /// Scans a string token and returns its decoded contents.
    fn string(&mut self) -> Scan<String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            match self.bump()? {
                b'"' => break,
                b'\\' => {
                    let c = match self.bump()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(Malformed),
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                0x00..=0x1F => return Err(Malformed),
                b => out.push(b),
            }
        }
        // The input is a `str` and escapes are decoded to whole characters,
        // so this cannot fail; treat it as malformed rather than panic.
        String::from_utf8(out).map_err(|_| Malformed)
    }

    /// Decodes the rest of a `\uXXXX` escape, including a surrogate pair.
    /// Lone surrogates are rejected.
    fn unicode_escape(&mut self) -> Scan<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                self.expect(b'\\')?;
                self.expect(b'u')?;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(Malformed);
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            _ => first,
        };
        char::from_u32(code).ok_or(Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> FieldPath {
        FieldPath::parse(s).expect("valid path")
    }

    fn loc(line: usize, column: usize, exact: bool) -> Option<Location> {
        Some(Location {
            line,
            column,
            exact,
        })
    }

    #[test]
    fn display_and_parse_round_trip() {
        let path = FieldPath::root()
            .key("roster")
            .key("handlers")
            .key("shifts")
            .index(2)
            .key("count");
        assert_eq!(path.to_string(), "roster.handlers.shifts[2].count");
        assert_eq!(FieldPath::parse(&path.to_string()), Some(path));

        let odd = FieldPath::root()
            .key("x y")
            .key("")
            .key("q\"\\\n\t\r\u{1}é")
            .index(0)
            .index(17);
        assert_eq!(odd.to_string(), r#""x y".""."q\"\\\n\t\r\u{1}é"[0][17]"#);
        assert_eq!(FieldPath::parse(&odd.to_string()), Some(odd));

        let leading_index = FieldPath::root().index(3).key("name");
        assert_eq!(leading_index.to_string(), "[3].name");
        assert_eq!(FieldPath::parse("[3].name"), Some(leading_index));

        assert_eq!(FieldPath::root().to_string(), "(top level)");
        assert!(p("(top level)").is_root());
        assert!(p("").is_root());
        assert!(!p("a").is_root());
        assert_eq!(
            p(r#"a."x y".c"#),
            FieldPath::root().key("a").key("x y").key("c")
        );
    }

    #[test]
    fn parse_rejects_malformed_paths() {
        for bad in [
            ".a",
            "a.",
            "a..b",
            "a[",
            "a[]",
            "a[x]",
            "a[1",
            "a[1]b",
            "a b",
            "\"open",
            "a.\"x\\q\"",
            "a[-1]",
            "a[99999999999999999999999]",
            "\"\\u{}\"",
            "\"\\u{110000}\"",
            "a.[0]",
        ] {
            assert_eq!(FieldPath::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn line_col_counts_chars() {
        let text = "héllo\nwörld ✓ x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        // 'l' after "hé": h(1 byte) é(2 bytes)
        assert_eq!(line_col(text, 3), (1, 3));
        // The newline itself is the last column of line 1.
        assert_eq!(line_col(text, 6), (1, 6));
        assert_eq!(line_col(text, 7), (2, 1));
        // 'x' on line 2: "wörld ✓ " is 8 chars / 11 bytes.
        assert_eq!(text.find('x'), Some(18));
        assert_eq!(line_col(text, 18), (2, 9));
        // Inside a multi-byte char: still that char.
        assert_eq!(line_col(text, 2), (1, 2));
        // Past the end: clamped.
        assert_eq!(line_col(text, 1000), (3, 1));
        assert_eq!(line_col("", 5), (1, 1));
    }

    const TOML: &str = r#"name = "demo"
window.open = 8

[roster.handlers]
overflow = { count = 0, share = 0.5 }
size = 4

[[roster.handlers.shifts]]
count = 1

[[roster.handlers.shifts]]
count = 2

[[roster.handlers.shifts]]
start = "08:00"
count = 3
"#;

    fn toml_at(path: &str) -> Option<Location> {
        locate(TOML, Format::Toml, &p(path))
    }

    #[test]
    fn toml_key_in_table() {
        assert_eq!(toml_at("roster.handlers.size"), loc(6, 1, true));
        // A header-defined table is found at its name in the header.
        assert_eq!(toml_at("roster.handlers"), loc(4, 9, true));
        assert_eq!(toml_at("roster"), loc(4, 2, true));
    }

    #[test]
    fn toml_dotted_key() {
        assert_eq!(toml_at("window.open"), loc(2, 8, true));
        assert_eq!(toml_at("window"), loc(2, 1, true));
    }

    #[test]
    fn toml_inline_table_field() {
        assert_eq!(toml_at("roster.handlers.overflow.share"), loc(5, 25, true));
        assert_eq!(toml_at("roster.handlers.overflow.count"), loc(5, 14, true));
    }

    #[test]
    fn toml_array_of_tables() {
        assert_eq!(toml_at("roster.handlers.shifts[2].count"), loc(16, 1, true));
        assert_eq!(toml_at("roster.handlers.shifts[1].count"), loc(12, 1, true));
        // An element of an array of tables is found at its `[[...]]` header.
        assert_eq!(toml_at("roster.handlers.shifts[2]"), loc(14, 1, true));
        // Out of range: the array's key in its first header.
        assert_eq!(
            toml_at("roster.handlers.shifts[3].count"),
            loc(8, 19, false)
        );
    }

    #[test]
    fn toml_missing_segments() {
        assert_eq!(toml_at("roster.handlers.shifts[0].end"), loc(8, 1, false));
        assert_eq!(toml_at("roster.handlers.missing"), loc(4, 9, false));
        assert_eq!(toml_at("roster.handlers.overflow.nope"), loc(5, 1, false));
        // Indexing into a scalar stops at the scalar's key.
        assert_eq!(toml_at("roster.handlers.size[0]"), loc(6, 1, false));
        assert_eq!(toml_at("nothing.here"), None);
        assert_eq!(toml_at("(top level)"), loc(1, 1, true));
        assert_eq!(locate("a = ", Format::Toml, &p("a")), None);
    }

    #[test]
    fn toml_quoted_keys_and_inline_arrays() {
        let text = "\"my key\" = [1, { x = 2 }]\n";
        assert_eq!(
            locate(text, Format::Toml, &p("\"my key\"")),
            loc(1, 1, true)
        );
        assert_eq!(
            locate(text, Format::Toml, &p("\"my key\"[1]")),
            loc(1, 16, true)
        );
        assert_eq!(
            locate(text, Format::Toml, &p("\"my key\"[1].x")),
            loc(1, 18, true)
        );
    }

    const JSON: &str = r#"{
  "name": "demo",
  "roster": {
    "handlers": {
      "shifts": [
        { "count": 1 },
        {
          "start": "08:00",
          "count": 2
        }
      ]
    }
  },
  "esc\"aped": [ 10, 20 ]
}"#;

    fn json_at(path: &str) -> Option<Location> {
        locate(JSON, Format::Json, &p(path))
    }

    #[test]
    fn json_nested_object_key() {
        assert_eq!(json_at("roster.handlers"), loc(4, 5, true));
        assert_eq!(json_at("roster.handlers.shifts"), loc(5, 7, true));
        assert_eq!(json_at("\"esc\\\"aped\""), loc(14, 3, true));
    }

    #[test]
    fn json_array_elements() {
        assert_eq!(json_at("roster.handlers.shifts[0]"), loc(6, 9, true));
        assert_eq!(json_at("roster.handlers.shifts[1]"), loc(7, 9, true));
        assert_eq!(json_at("\"esc\\\"aped\"[1]"), loc(14, 22, true));
    }

    #[test]
    fn json_field_in_second_element() {
        assert_eq!(json_at("roster.handlers.shifts[1].count"), loc(9, 11, true));
        assert_eq!(json_at("roster.handlers.shifts[0].count"), loc(6, 11, true));
    }

    #[test]
    fn json_missing_segments() {
        assert_eq!(json_at("roster.handlers.shifts[1].end"), loc(7, 9, false));
        assert_eq!(json_at("roster.handlers.shifts[5]"), loc(5, 7, false));
        assert_eq!(json_at("name.first"), loc(2, 3, false));
        assert_eq!(json_at("roster[0]"), loc(3, 3, false));
        assert_eq!(json_at("missing"), None);
        assert_eq!(json_at("(top level)"), loc(1, 1, true));
        assert_eq!(
            locate("\n  [1]", Format::Json, &FieldPath::root()),
            loc(2, 3, true)
        );
    }

    #[test]
    fn json_top_level_array_and_escaped_keys() {
        let text = "[\n  {\"a\\u00e9\\ud83d\\ude00\": 1}\n]";
        let path = FieldPath::root().index(0).key("aé😀");
        assert_eq!(locate(text, Format::Json, &path), loc(2, 4, true));
    }

    #[test]
    fn json_duplicate_keys_last_wins() {
        let text = "{\"a\": {\"b\": 1},\n \"a\": {\"c\": 2}}";
        assert_eq!(locate(text, Format::Json, &p("a.b")), loc(2, 2, false));
        assert_eq!(locate(text, Format::Json, &p("a.c")), loc(2, 8, true));
    }

    #[test]
    fn json_malformed() {
        for bad in [
            "",
            "{",
            "{\"roster\": }",
            "{\"roster\": {\"x\": 1}",
            "{\"roster\": 1,}",
            "{\"roster\": 1} x",
            "{\"roster\": 01}",
            "{\"roster\": 1.}",
            "{\"roster\": tru}",
            "{\"roster\": \"\\ud800\"}",
            "{\"roster\": \"a\nb\"}",
            "{roster: 1}",
            "[1 2]",
        ] {
            assert_eq!(locate(bad, Format::Json, &p("roster")), None, "{bad:?}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(locate(&deep, Format::Json, &p("[0]")), None);
        // Malformed text after the located field still makes the whole document invalid.
        assert_eq!(locate("{\"roster\": 1, ", Format::Json, &p("roster")), None);
    }

    #[test]
    fn never_panics_on_garbled_input() {
        let paths = [
            FieldPath::root(),
            p("roster.handlers.shifts[2].count"),
            p("roster.handlers.shifts[1]"),
            p("[0].a"),
            p("name"),
        ];
        let mut samples: Vec<(String, Format)> = Vec::new();
        for (text, format) in [(TOML, Format::Toml), (JSON, Format::Json)] {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            for (i, &(at, c)) in chars.iter().enumerate() {
                // Truncations.
                samples.push((text[..at].to_owned(), format));
                // Deletions and substitutions of single characters.
                let rest = &text[at + c.len_utf8()..];
                samples.push((format!("{}{}", &text[..at], rest), format));
                let junk = ["\"", "{", "]", "\\", "é", "\n", "[[", "=", ","][i % 9];
                samples.push((format!("{}{junk}{rest}", &text[..at]), format));
            }
        }
        samples.push(("a = ".to_owned() + &"[".repeat(5000), Format::Toml));
        samples.push(("a = ".to_owned() + &"{b=".repeat(5000), Format::Toml));
        samples.push(("[".repeat(100_000), Format::Json));
        samples.push(("{\"a\":".repeat(100_000), Format::Json));
        for (text, format) in &samples {
            for path in &paths {
                for other in [Format::Toml, Format::Json] {
                    let _ = locate(text, other, path);
                }
                if let Some(l) = locate(text, *format, path) {
                    assert!(l.line >= 1 && l.column >= 1);
                }
            }
            for byte in [0, 1, 2, 3, text.len() / 2, text.len(), text.len() + 3] {
                let _ = line_col(text, byte);
            }
            let _ = FieldPath::parse(text);
        }
    }
}
