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

/// How deep a transfer file nests: the real one is about eight elements deep; a file nested
/// thousands deep is an attack on the stack, refused before it is built.
pub const MAX_DEPTH: usize = 24;
/// How many elements a file may hold: a large school's file holds some tens of thousands.
pub const MAX_ELEMENTS: usize = 2_000_000;
/// The longest text one element may hold: a year's marks are under 800 characters.
pub const MAX_TEXT: usize = 64 * 1024;

/// Where the reader is: the open elements' names.
fn path_of(stack: &[Node]) -> String {
    if stack.len() < 2 {
        return "the file, outside any element,".into();
    }
    stack
        .iter()
        .skip(1)
        .map(|n| n.name.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the XML into a tree; a syntax error names its byte position, and a file past the
/// limits ([`MAX_DEPTH`], [`MAX_ELEMENTS`], [`MAX_TEXT`]) names the element where it went past.
pub(super) fn tree(xml: &str) -> Result<Node, String> {
    let mut reader = Reader::from_str(xml);
    let mut elements = 0usize;
    // Not trimmed here: text arrives in pieces around entities (`St Mary &amp; St John`), and
    // trimming each piece would lose the spaces; a whole element's text is trimmed when read.
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("the XML does not read at byte {at}: {e}"))?;
        if matches!(event, Event::Start(_) | Event::Empty(_)) {
            elements += 1;
            if elements > MAX_ELEMENTS {
                return Err(format!(
                    "the file holds more than {MAX_ELEMENTS} elements (at {}, byte {at}): not a transfer file rollcall reads",
                    path_of(&stack)
                ));
            }
        }
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!(
                        "elements nest more than {MAX_DEPTH} deep at {} (byte {at}): a transfer file is not nested so deep",
                        path_of(&stack)
                    ));
                }
                stack.push(Node {
                    name: e.name().as_ref().to_string(),
                    ..Node::default()
                });
            }
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
            Event::Text(t) => add_text(&mut stack, &t.xml10_content(), at)?,
            Event::CData(t) => add_text(&mut stack, &t.into_inner(), at)?,
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
                add_text(&mut stack, &text, at)?;
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

/// Adds text to the element being read, refusing an element whose text passes [`MAX_TEXT`].
fn add_text(stack: &mut [Node], text: &str, at: u64) -> Result<(), String> {
    let held = stack.last().map_or(0, |n| n.text.len());
    if held + text.len() > MAX_TEXT {
        return Err(format!(
            "{} holds more than {} KB of text (byte {at}): no element of a transfer file is so long",
            path_of(stack),
            MAX_TEXT / 1024
        ));
    }
    if let Some(node) = stack.last_mut() {
        node.text.push_str(text);
    }
    Ok(())
}
