//! Small HTML tables for the notebook reprs (`_repr_html_`): every text is escaped.

/// Text safe inside HTML elements and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The colour a Jenkins state or result (or a run phase) is shown in.
pub fn colour(status: &str) -> &'static str {
    match status.to_ascii_uppercase().as_str() {
        "SUCCESS" | "SUCCEEDED" => "#2e7d32",
        "FAILURE" | "FAILED" => "#c62828",
        "RUNNING" | "QUEUED" | "PENDING" => "#1565c0",
        "PAUSED" | "WAITING FOR INPUT" => "#ef6c00",
        "UNSTABLE" => "#f9a825",
        _ => "#616161",
    }
}

/// A cell: plain text, or a status shown in its colour.
pub enum Cell {
    Text(String),
    Status(String),
}

impl Cell {
    pub fn text(value: Option<&str>) -> Cell {
        Cell::Text(value.unwrap_or("").to_owned())
    }

    pub fn status(value: Option<&str>) -> Cell {
        Cell::Status(value.unwrap_or("").to_owned())
    }

    fn render(&self) -> String {
        match self {
            Cell::Text(text) => format!("<td>{}</td>", escape(text)),
            Cell::Status(status) if status.is_empty() => "<td></td>".to_owned(),
            Cell::Status(status) => format!(
                "<td><span style=\"color:{};font-weight:bold\">{}</span></td>",
                colour(status),
                escape(status)
            ),
        }
    }
}

/// A table with a caption (escaped here) and a header row.
pub fn table(caption: &str, headers: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = format!(
        "<table><caption style=\"text-align:left\">{}</caption><thead><tr>",
        escape(caption)
    );
    for header in headers {
        out.push_str(&format!("<th>{}</th>", escape(header)));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            out.push_str(&cell.render());
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_is_escaped() {
        let html = table(
            "<b>",
            &["x"],
            &[vec![
                Cell::Text("<script>&\"'".into()),
                Cell::status(Some("FAILURE")),
            ]],
        );
        assert!(html.contains("&lt;script&gt;&amp;&quot;&#39;"), "{html}");
        assert!(
            html.contains("&lt;b&gt;") && !html.contains("<script>"),
            "{html}"
        );
        assert!(html.contains(colour("FAILURE")));
    }
}
