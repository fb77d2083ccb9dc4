//! LRC text (`[mm:ss.xx] line`): just enough parsing to turn it into timed lines.

/// The timed lines of LRC text: (milliseconds, text), in time order. Tag lines (`[ar:...]`) and
/// lines without a timestamp are left out; a line with several timestamps appears once for each.
pub fn parse(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line.trim();
        let mut times = Vec::new();
        while let Some(after) = rest.strip_prefix('[') {
            let Some((stamp, tail)) = after.split_once(']') else {
                break;
            };
            match millis(stamp) {
                Some(ms) => times.push(ms),
                None => break,
            }
            rest = tail;
        }
        for ms in times {
            out.push((ms, rest.trim().to_owned()));
        }
    }
    out.sort_by_key(|(ms, _)| *ms);
    out
}

/// `mm:ss`, `mm:ss.xx` or `mm:ss.xxx` as milliseconds.
fn millis(stamp: &str) -> Option<u32> {
    let (min, sec) = stamp.split_once(':')?;
    let min: u32 = min.parse().ok()?;
    let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
    let whole: u32 = whole.parse().ok()?;
    if whole >= 60 || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_ms = if frac.is_empty() {
        0
    } else {
        frac.parse::<u32>().ok()? * 10u32.pow(3 - frac.len() as u32)
    };
    Some(min * 60_000 + whole * 1000 + frac_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timed_lines_in_order() {
        let text = "[ar:Someone]\n[00:12.30] second\n[00:01.5]first\n[01:02.345][00:20.00] twice\nno stamp\n[xx:yy] bad";
        assert_eq!(
            parse(text),
            vec![
                (1500, "first".to_owned()),
                (12_300, "second".to_owned()),
                (20_000, "twice".to_owned()),
                (62_345, "twice".to_owned()),
            ]
        );
        assert!(parse("just words\nmore words").is_empty());
    }
}
