//! The amendment dialog, shared by every screen that changes a mark after its register has
//! closed (the register, the N queue): the change, the mark's history, and a reason to type.

use super::action::Effect;
use super::modal::{InputState, Modal};
use super::next::Next;
use crate::domain::marks::Mark;
use crate::domain::session::hm;
use crate::service::protocol::{MarkHistory, MarkRequest};

/// Asks for the reason for `request`, an amendment; `ask` is the owner's question that the
/// reason answers. The history of the mark is fetched to show under it.
pub fn reason_dialog<A>(
    ask: A,
    request: &MarkRequest,
    name: &str,
    existing: Option<&Mark>,
    suggested: Option<String>,
) -> Next<A> {
    let from = existing.map_or("no mark".to_string(), |m| m.entry().describe());
    let to = match request.arrived {
        Some(t) => format!("{} arriving {}", request.code, hm(t)),
        None => request.code.clone(),
    };
    let mut input = InputState::new(
        ask,
        format!("Amend {name}"),
        "reason: ",
        vec![
            format!("The register has closed: {from} -> {to} is an amendment."),
            "The original entry is kept; the reason, time and your name are recorded.".into(),
        ],
    );
    // The reason given last in this register, ready to accept with enter.
    if let Some(reason) = suggested {
        input = input.suggest(reason);
    }
    Next {
        effects: vec![Effect::history(request)],
        dialog: Some(Modal::Input(input)),
        ..Next::default()
    }
}

/// A mark's history as the dialogs show it: every change, who made it, when and why.
pub fn history_lines(history: &MarkHistory) -> Vec<String> {
    if history.changes.is_empty() {
        return vec!["History: no entries yet".into()];
    }
    let mut lines = vec!["History:".to_string()];
    for c in &history.changes {
        let before = c
            .before
            .as_ref()
            .map_or("none".to_string(), |e| e.describe());
        let after = c
            .after
            .as_ref()
            .map_or("withdrawn".to_string(), |e| e.describe());
        let mut line = format!(
            " {} {} -> {} by {} ({})",
            c.at.format("%d %b %H:%M"),
            before,
            after,
            c.name,
            c.position
        );
        if let Some(r) = &c.reason {
            line.push_str(&format!(": {r}"));
        }
        if let Some(source) = &c.source {
            line.push_str(&format!(" [{source}]"));
        }
        lines.push(line);
    }
    lines
}
