//! Reading a transfer file's XML into a tree of elements, with quick-xml, so that the file
//! can be read by path.

use quick_xml::Reader;
use quick_xml::events::Event;

/// An element read whole: its name, text and children, so the file can be read by path.
#[derive(Debug, Default)]
pub(super) struct Node {
    pub(super) name: String,
    pub(super) text: String,
    pub(super) children: Vec<Node>,
}

impl Node {
    pub(super) fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(super) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Reads the XML into a tree; a syntax error names its byte position.
pub(super) fn tree(xml: &str) -> Result<Node, String> {
    let mut reader = Reader::from_str(xml);
    // Not trimmed here: text arrives in pieces around entities (`St Mary &amp; St John`), and
    // trimming each piece would lose the spaces; a whole element's text is trimmed when read.
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("the XML does not read at byte {at}: {e}"))?;
        match event {
            Event::Start(e) => stack.push(Node {
                name: e.name().as_ref().to_string(),
                ..Node::default()
            }),
            Event::Empty(e) => {
                let node = Node {
                    name: e.name().as_ref().to_string(),
                    ..Node::default()
                };
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("an element closed that was not open")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Err("an element closed that was not open".into()),
                }
            }
            Event::Text(t) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                let text = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                        .ok_or_else(|| {
                            format!("a character reference that does not read at byte {at}")
                        })?
                } else {
                    match r.xml10_content().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => return Err(format!("an unknown entity `&{other};` at byte {at}")),
                    }
                };
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("the file ends inside an element".into());
    }
    stack
        .pop()
        .and_then(|root| root.children.into_iter().next())
        .ok_or_else(|| "the file has no elements".into())
}
