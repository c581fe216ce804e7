//! The shape of the code, checked: which file imports which (no two files of `src/` import
//! each other, no circle of imports at all, the dialogs name no screen), how long files and
//! functions grow, and that every `SPEC §n` the code cites is a section of `docs/SPEC.md`.
//!
//! The import graph is read from the source text: every `use` tree and every path written
//! inline (`crate::app::nav::next_index`, `super::week::open`, `register::loaded`), resolved
//! to the file of the longest module prefix it names. Test modules (`#[cfg(test)] mod tests`)
//! are left out, and so are files of tests (`tests.rs`): a file's tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Module path (`["app", "register"]`) of each source file.
struct Tree {
    files: BTreeMap<PathBuf, String>,
    modules: BTreeMap<Vec<String>, PathBuf>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

fn read_tree() -> Tree {
    let src = Path::new(ROOT).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let mut files = BTreeMap::new();
    let mut modules = BTreeMap::new();
    for path in paths {
        let rel = path.strip_prefix(ROOT).unwrap().to_path_buf();
        // main.rs is its own crate: its paths start at the binary, not the library.
        if rel != Path::new("src/main.rs") {
            modules.insert(module_path(&src, &path), rel.clone());
        }
        files.insert(rel, std::fs::read_to_string(&path).unwrap());
    }
    Tree { files, modules }
}

/// The code without comments, string contents and test modules.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' => {
                out.push('"');
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push('"');
            }
            // A char literal ('"', '{'), not a lifetime: skip it whole.
            '\'' => {
                let rest: String = chars.clone().take(4).collect();
                let len = if rest.starts_with('\\') {
                    rest.find('\'').map(|i| i + 1)
                } else if rest.chars().nth(1) == Some('\'') {
                    Some(2)
                } else {
                    None
                };
                match len {
                    Some(n) => {
                        for _ in 0..n {
                            chars.next();
                        }
                        out.push_str("' '");
                    }
                    None => out.push('\''),
                }
            }
            c => out.push(c),
        }
    }
    // `#[cfg(test)] mod tests {` (or `pub(crate) mod tests`, shared with other tests).
    let mut at = 0;
    while let Some(i) = out[at..].find("#[cfg(test)]\n") {
        let start = at + i;
        let next = out[start + 13..].lines().next().unwrap_or("");
        if next.trim_end().ends_with("mod tests {") {
            return out[..start].to_string();
        }
        at = start + 13;
    }
    out
}

/// `a::{b, c::{d, e}}` as `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let mut depth = 0;
    let mut close = tree.len();
    for (i, c) in tree.char_indices().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = i;
                    break;
                }
            }
            _ => {}
        }
    }
    let prefix = &tree[..open];
    let inner = &tree[open + 1..close.min(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |e| format!("{prefix}{e}")))
        .collect()
}

impl Tree {
    /// The file a path written in `file` names, if it is one of ours.
    fn resolve(&self, file: &Path, path: &str) -> Option<PathBuf> {
        let here = module_path(&Path::new(ROOT).join("src"), &Path::new(ROOT).join(file));
        let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        segments.retain(|s| *s != "*");
        if let Some(last) = segments.last()
            && last.contains(" as ")
        {
            segments.pop();
        }
        let mut at: Vec<String> = match segments.first().copied() {
            Some("crate") => {
                segments.remove(0);
                Vec::new()
            }
            Some("super" | "self") => {
                let mut at = here.clone();
                while let Some(s @ ("super" | "self")) = segments.first().copied() {
                    if s == "super" {
                        at.pop();
                    }
                    segments.remove(0);
                }
                at
            }
            // A child module named from its parent (`register::loaded` in app/mod.rs).
            Some(first) => {
                let mut child = here.clone();
                child.push(first.to_string());
                if !self.modules.contains_key(&child) {
                    return None;
                }
                here.clone()
            }
            None => return None,
        };
        at.extend(segments.iter().map(|s| s.to_string()));
        (0..=at.len())
            .rev()
            .find_map(|n| self.modules.get(&at[..n]))
            .filter(|target| target.as_path() != file)
            .cloned()
    }

    fn imports(&self) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
        let mut graph = BTreeMap::new();
        for (file, text) in &self.files {
            // A file of tests (`mod tests;`) may reach anywhere, as a `mod tests` block may.
            if file == Path::new("src/main.rs") || file.ends_with("tests.rs") {
                continue;
            }
            let code = code_only(text);
            let mut to = BTreeSet::new();
            let mut rest = code.as_str();
            while let Some(i) = rest.find("use ") {
                let boundary = i == 0 || !rest.as_bytes()[i - 1].is_ascii_alphanumeric();
                let after = &rest[i + 4..];
                if boundary && let Some(end) = after.find(';') {
                    for path in expand(&after[..end]) {
                        let path = path.split(" as ").next().unwrap_or("").to_string();
                        to.extend(self.resolve(file, &path));
                    }
                }
                rest = after;
            }
            // Paths written inline: words joined by `::`.
            let bytes = code.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                let starts = (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_')
                    && (i == 0
                        || !(bytes[i - 1].is_ascii_alphanumeric()
                            || bytes[i - 1] == b'_'
                            || bytes[i - 1] == b':'
                            // `$crate::` in a macro names the crate where it is used.
                            || bytes[i - 1] == b'$'));
                if !starts {
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j < bytes.len()
                    && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] == b':')
                {
                    j += 1;
                }
                let path = code[i..j].trim_end_matches(':');
                if path.contains("::") {
                    to.extend(self.resolve(file, path));
                }
                i = j.max(i + 1);
            }
            graph.insert(file.clone(), to);
        }
        graph
    }
}

/// Groups of files that import one another round a circle (Tarjan's components).
fn circles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        found: Vec<Vec<PathBuf>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a PathBuf) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.stack.contains(&w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    group.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

#[test]
fn no_two_files_import_each_other_and_no_circle_of_imports() {
    let tree = read_tree();
    let graph = tree.imports();
    let mut mutual = Vec::new();
    for (a, to) in &graph {
        for b in to {
            if a < b && graph.get(b).is_some_and(|back| back.contains(a)) {
                mutual.push(format!("{} <-> {}", a.display(), b.display()));
            }
        }
    }
    assert!(
        mutual.is_empty(),
        "files importing each other:\n{}",
        mutual.join("\n")
    );
    let circles: Vec<String> = circles(&graph)
        .into_iter()
        .map(|group| {
            group
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    assert!(
        circles.is_empty(),
        "circles of imports:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_dialogs_name_no_screen() {
    let tree = read_tree();
    let graph = tree.imports();
    let mut named = Vec::new();
    for (file, to) in &graph {
        if !file.starts_with("src/app/modal") {
            continue;
        }
        for target in to {
            let allowed = target.starts_with("src/app/modal")
                || !target.starts_with("src/app")
                || target == Path::new("src/app/nav.rs")
                || target == Path::new("src/app/action.rs");
            if !allowed {
                named.push(format!("{} -> {}", file.display(), target.display()));
            }
        }
    }
    assert!(
        named.is_empty(),
        "dialogs reaching into the app:\n{}",
        named.join("\n")
    );
}

/// Lines of each function in a file: from its `fn` line to the brace that closes it at the
/// same indentation.
fn function_lengths(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let is_fn = [
            "fn ",
            "pub fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "async fn ",
            "pub async fn ",
            "const fn ",
            "pub const fn ",
        ]
        .iter()
        .any(|p| trimmed.starts_with(p));
        if !is_fn || trimmed.ends_with(';') {
            continue;
        }
        let name = trimmed
            .split("fn ")
            .nth(1)
            .and_then(|r| r.split(['(', '<']).next())
            .unwrap_or("")
            .to_string();
        let close = format!("{}}}", " ".repeat(indent));
        if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
            out.push((name, end + 2));
        }
    }
    out
}

#[test]
fn no_file_over_900_lines_and_no_function_over_150() {
    let tree = read_tree();
    let mut long = Vec::new();
    for (file, text) in &tree.files {
        let lines = text.lines().count();
        if lines > 900 {
            long.push(format!("{}: {lines} lines", file.display()));
        }
        for (name, len) in function_lengths(text) {
            if len > 150 {
                long.push(format!("{}: fn {name} is {len} lines", file.display()));
            }
        }
    }
    assert!(long.is_empty(), "too long:\n{}", long.join("\n"));
}

#[test]
fn every_spec_section_the_code_cites_exists() {
    let spec = std::fs::read_to_string(Path::new(ROOT).join("docs/SPEC.md")).unwrap();
    let sections: BTreeSet<String> = spec
        .lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter_map(|n| n.strip_prefix('§'))
        .map(|n| n.trim_end_matches('.').to_string())
        .collect();
    assert!(sections.len() >= 8, "docs/SPEC.md's sections: {sections:?}");
    let tree = read_tree();
    let mut missing = Vec::new();
    let mut cited = 0;
    for (file, text) in &tree.files {
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(i) = rest.find("SPEC") {
                let after = rest[i + 4..].trim_start();
                let section: String = after
                    .strip_prefix('§')
                    .unwrap_or(if after.starts_with(|c: char| c.is_ascii_digit()) {
                        after
                    } else {
                        ""
                    })
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let section = section.trim_end_matches('.').to_string();
                if !section.is_empty() {
                    cited += 1;
                    if !sections.contains(&section) {
                        missing.push(format!("{}:{}: SPEC §{section}", file.display(), n + 1));
                    }
                }
                rest = &rest[i + 4..];
            }
        }
    }
    assert!(
        cited >= 20,
        "only {cited} citations found: is the pattern right?"
    );
    assert!(
        missing.is_empty(),
        "cited but not in docs/SPEC.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_import_reader_sees_what_it_should() {
    assert_eq!(
        expand("crate::app::{Action, modal::{Modal, InputState}}"),
        [
            "crate::app::Action",
            "crate::app::modal::Modal",
            "crate::app::modal::InputState"
        ]
    );
    let code = code_only("use a::b; // use c::d;\nlet s = \"crate::x::y\"; let c = '{';");
    assert!(!code.contains("c::d") && !code.contains("x::y") && !code.contains('{'));
    assert_eq!(
        function_lengths("fn a() {\n    x;\n}\n    pub fn b(&self) {\n    }\n"),
        [("a".to_string(), 3), ("b".to_string(), 2)]
    );
}
