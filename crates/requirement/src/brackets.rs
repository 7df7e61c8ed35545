//! Repair of mistyped closing brackets around licence names.
//!
//! A 《 whose name ends in a `）`/`)` that closes no parenthesis opened
//! inside the name (`《网络文化经营许可证）（适用于…）`) was meant to be
//! closed by 》: the name is read up to that bracket. A 《 closed by 》
//! (`《名称（简称）》`), or never closed, is left as written.

/// The text with every mistyped closing bracket of a name replaced by 》,
/// and a message for each repair.
pub(crate) fn repair(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut messages = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('《') {
        let name_start = open + '《'.len_utf8();
        out.push_str(&rest[..name_start]);
        rest = &rest[name_start..];
        if let Some(close) = mistyped_close(rest) {
            let name = &rest[..close];
            let bracket = rest[close..].chars().next().unwrap_or('）');
            messages.push(format!(
                "《{name}{bracket} read as 《{name}》: the name's closing bracket is mistyped"
            ));
            out.push_str(name);
            out.push('》');
            rest = &rest[close + bracket.len_utf8()..];
        }
    }
    out.push_str(rest);
    (out, messages)
}

/// Offset of a `）`/`)` that ends the name starting at `name`, when it comes
/// before any 》 or 《 and closes no parenthesis of its own.
fn mistyped_close(name: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in name.char_indices() {
        match c {
            '》' | '《' => return None,
            '（' | '(' => depth += 1,
            '）' | ')' if depth == 0 => return Some(at),
            '）' | ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_closed_by_a_parenthesis_is_repaired() {
        // 文娱 › 视频 (raw/service-categories.md)
        let (text, messages) = repair("或《网络文化经营许可证）（适用于秀场类非直播视频）或《乙》");
        assert_eq!(
            text,
            "或《网络文化经营许可证》（适用于秀场类非直播视频）或《乙》"
        );
        assert_eq!(
            messages,
            ["《网络文化经营许可证） read as 《网络文化经营许可证》: the name's closing bracket is mistyped"]
        );
    }

    #[test]
    fn well_formed_and_unclosed_names_stay_as_written() {
        for text in [
            "《名称（简称）》和《乙》",
            "《未闭合",
            "《甲》（含乙）",
            "无书名号（含乙）",
        ] {
            assert_eq!(repair(text), (text.to_string(), Vec::new()), "{text}");
        }
    }
}
