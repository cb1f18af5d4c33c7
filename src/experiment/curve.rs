//! The shares of a cost curve (`staff --frontier`, `optimise --frontier`), `ID=FROM:TO:STEP`.

/// The most points of a cost curve (each is a whole search).
pub const MAX_POINTS: usize = 21;

/// Reads `ID=FROM:TO:STEP` (e.g. `T1=0.80:0.95:0.05`): the target's id, as written, and the
/// shares from FROM to TO by STEP, both ends included, each rounded to 1e-9 (so that
/// 0.8 + 2 x 0.05 is 0.9), at most [`MAX_POINTS`]. `form` is the example given when the text
/// is malformed. The caller checks the id.
pub fn parse(text: &str, form: &str) -> Result<(String, Vec<f64>), String> {
    let (id, range) = text
        .split_once('=')
        .ok_or_else(|| format!("\"{text}\": {form}"))?;
    let parts: Vec<f64> = range
        .split(':')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("\"{text}\": {form}"))?;
    let [from, to, step] = parts[..] else {
        return Err(format!("\"{text}\": {form}"));
    };
    if !(from > 0.0 && to < 1.0 && from <= to && step > 0.0) {
        return Err(format!(
            "\"{text}\": the shares must be above 0 and below 1, FROM not above TO, and STEP above 0"
        ));
    }
    let n = ((to - from) / step + 1e-9).floor() as usize + 1;
    if n > MAX_POINTS {
        return Err(format!(
            "\"{text}\": {n} points; a cost curve has at most {MAX_POINTS} (each is a whole search): widen STEP"
        ));
    }
    let shares = (0..n)
        .map(|k| ((from + k as f64 * step) * 1e9).round() / 1e9)
        .collect();
    Ok((id.trim().to_string(), shares))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_run_from_one_end_to_the_other() {
        let (id, s) = parse("T3=0.6:0.9:0.1", "form").unwrap();
        assert_eq!(id, "T3");
        assert_eq!(s, vec![0.6, 0.7, 0.8, 0.9]);
        assert_eq!(parse(" T1 =0.5:0.5:0.1", "f").unwrap().1, vec![0.5]);
        for bad in [
            "T3",
            "T3=0.6:0.9",
            "T3=a:0.9:0.1",
            "T3=0.9:0.6:0.1",
            "T3=0:0.5:0.1",
            "T3=0.5:1:0.1",
            "T3=0.5:0.6:0",
            "T3=0.01:0.99:0.01",
        ] {
            assert!(parse(bad, "f").is_err(), "{bad}");
        }
    }
}
