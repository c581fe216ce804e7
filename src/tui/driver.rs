//! The loop that runs the app: an action goes through `app::update`, the requests it asks for
//! go to the client, their replies go back through `update`, until nothing is left to do. The
//! terminal (`tui::run`) and the tests drive the app through this same code.

use crate::app::{Action, App, Effect, update};
use crate::keymap::{Key, Keymap};
use crate::service::Client;
use crate::service::protocol::Hello;
use crate::ui::{Theme, render};
use chrono::NaiveDateTime;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::collections::VecDeque;

pub struct Driver {
    pub app: App,
    pub client: Client,
    /// Where files the app saves (a report as CSV) go, and relative paths it reads are from:
    /// the directory it was started in.
    pub save_dir: std::path::PathBuf,
}

impl Driver {
    /// The app for whoever `hello` says is signed in, with its first screen loaded.
    pub fn new(
        client: Client,
        hello: Hello,
        now: NaiveDateTime,
        keymap: Keymap,
        notices: Vec<String>,
    ) -> Driver {
        let mut driver = Driver {
            app: App::new(hello, now, keymap, notices),
            client,
            save_dir: std::env::current_dir().unwrap_or_default(),
        };
        let start = driver.app.start();
        driver.run(start);
        driver
    }

    /// Applies an action, and every action its requests lead to.
    pub fn dispatch(&mut self, action: Action) {
        let effects = update(&mut self.app, action);
        self.run(effects);
        self.save_outgoing();
        // Files the app asked for, read here and handed back as actions.
        for wanted in std::mem::take(&mut self.app.inbox) {
            let path = self.save_dir.join(&wanted.path);
            let text =
                crate::files::read_bounded(&path, crate::files::DATA_LIMIT).and_then(|bytes| {
                    crate::files::spreadsheet_owned(&path.display().to_string(), bytes)
                        .map(|t| t.text)
                });
            self.dispatch(Action::FileRead {
                path: path.display().to_string(),
                text,
            });
        }
    }

    /// Saves the files the app asked for (a report as CSV) in `save_dir`, and says
    /// where, or why not.
    fn save_outgoing(&mut self) {
        for file in std::mem::take(&mut self.app.outbox) {
            let path = self.save_dir.join(&file.name);
            // The app names the file (a report of the day): saving it again replaces it.
            let saved = crate::files::write_private(&path, file.text.as_bytes(), true);
            let rows = file.text.lines().count().saturating_sub(1);
            self.app.message = Some(match saved {
                Ok(()) => crate::app::Message {
                    kind: crate::app::MessageKind::Info,
                    text: format!("saved {rows} rows to {}", path.display()),
                },
                Err(why) => crate::app::Message {
                    kind: crate::app::MessageKind::Error,
                    text: format!("{} was not saved: {why}", path.display()),
                },
            });
        }
    }

    fn run(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            let result = self.client.call(effect.request);
            queue.extend(update(
                &mut self.app,
                Action::Replied {
                    reply: effect.reply,
                    result,
                },
            ));
        }
    }

    /// A key as the terminal reports it: the keymap decides what it does here.
    pub fn key(&mut self, key: &Key, backspace: bool) {
        if let Some(action) = self.app.key_action(key, backspace) {
            self.dispatch(action);
        }
    }

    /// No input is waiting: do what was deferred until the burst was over (a reload after
    /// pushes). Returns whether anything was done.
    pub fn idle(&mut self) -> bool {
        if !self.app.reload_pending {
            return false;
        }
        self.dispatch(Action::Idle);
        true
    }

    pub fn render<B: Backend>(
        &self,
        terminal: &mut Terminal<B>,
        theme: Theme,
    ) -> Result<(), B::Error> {
        render(terminal, &self.app, theme)
    }
}
