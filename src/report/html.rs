//! report.html: the page template filled in, HTML escaping, and the charts written beside it.

use super::Section;
use super::charts;
use crate::error::{Error, InputError};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The embedded font, also carried by the HTML as an @font-face.
const FONT: &[u8] = charts::FONT_TTF;

/// The default page template: `{{title}}`, `{{style}}` and `{{body}}` are filled in.
pub const TEMPLATE: &str = include_str!("template.html");

/// Text made safe for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page template: the user's (which must have the three places to fill), or the default.
pub fn template(path: Option<&Path>) -> Result<String, Error> {
    let template = match path {
        Some(p) => fs::read_to_string(p).map_err(|e| {
            InputError::new(
                p.display().to_string(),
                "",
                format!("cannot read the template: {e}"),
            )
        })?,
        None => TEMPLATE.to_string(),
    };
    for key in ["{{title}}", "{{style}}", "{{body}}"] {
        if !template.contains(key) {
            return Err(InputError::new("command line", "--template", format!("the template must contain {key} (it has {{{{title}}}}, {{{{style}}}} and {{{{body}}}} filled in)")).into());
        }
    }
    Ok(template)
}

/// The page's body, each chart inline as SVG and written as SVG and PNG under `charts_dir`;
/// and the number of charts.
pub fn body(sections: &[Section], charts_dir: &Path) -> Result<(String, usize), Error> {
    crate::output::safe::real_dir(charts_dir)?;
    let mut body = String::new();
    let mut n = 0;
    for s in sections {
        let _ = writeln!(body, "<section>\n<h2>{}</h2>\n{}", esc(&s.heading), s.html);
        for (c, sentence) in &s.charts {
            n += 1;
            let svg = charts_dir.join(format!("{}.svg", c.name));
            crate::output::safe::write_new(&svg, c.svg.as_bytes())?;
            crate::output::safe::write_new(&charts_dir.join(format!("{}.png", c.name)), &c.png)?;
            let _ = writeln!(
                body,
                "<figure class=\"chart\" id=\"chart-{}\" data-chart=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
                c.name,
                c.name,
                c.svg,
                esc(sentence)
            );
        }
        let _ = writeln!(body, "</section>");
    }
    Ok((body, n))
}

/// The template filled in: the title, the style with the font embedded, the body.
pub fn page(template: &str, title: &str, body: &str) -> String {
    let style = format!(
        "@font-face {{ font-family: 'DejaVu Sans'; src: url(data:font/ttf;base64,{}) format('truetype'); }}\n{}",
        base64(FONT),
        STYLE
    );
    // One pass over the template: text filled in (a scenario named `{{body}}`) is never
    // filled in again.
    let title = esc(title);
    let keys = [
        ("{{title}}", title.as_str()),
        ("{{style}}", style.as_str()),
        ("{{body}}", body),
    ];
    let mut out = String::with_capacity(template.len() + body.len() + style.len());
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        match keys.iter().find(|(k, _)| at.starts_with(k)) {
            Some((k, v)) => {
                out.push_str(v);
                rest = &at[k.len()..];
            }
            None => {
                out.push_str("{{");
                rest = &at[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

const STYLE: &str = r#"
body { font-family: 'DejaVu Sans', sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #333; padding-bottom: 0.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.8rem 0; width: 100%; font-size: 0.92rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
code { overflow-wrap: anywhere; }
.summary table { font-size: 0.82rem; }
.warnings { font-size: 0.8rem; }
.warnings ul { margin: 0.2rem 0; }
.summary th, .summary td { padding: 0.15rem 0.4rem; }
.met { color: #0b5d4b; font-weight: bold; }
.at-risk { color: #8a5200; font-weight: bold; }
.missed { color: #9b1c1c; font-weight: bold; }
figure.chart { margin: 1rem 0; page-break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; }
figcaption { font-size: 0.95rem; margin-top: 0.3rem; }
.summary { page-break-after: always; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; margin: 0; } h2 { page-break-after: avoid; } }
"#;

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= c.len() {
                out.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(esc("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }

    #[test]
    fn a_template_without_its_places_is_refused() {
        let dir = std::env::temp_dir().join(format!("pledgesim-template-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let t = dir.join("t.html");
        fs::write(&t, "<html>{{title}}</html>").unwrap();
        let Err(Error::Input(e)) = template(Some(&t)) else {
            panic!("accepted")
        };
        assert_eq!(e[0].field, "--template");
        assert!(
            e[0].message
                .contains("it has {{title}}, {{style}} and {{body}}"),
            "{}",
            e[0].message
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn text_filled_in_is_never_filled_in_again() {
        let page = page(
            "<t>{{title}}</t><b>{{body}}</b>{{x}}",
            "{{body}}",
            "B {{title}}",
        );
        assert!(
            page.ends_with("<t>{{body}}</t><b>B {{title}}</b>{{x}}"),
            "{page}"
        );
    }
}
