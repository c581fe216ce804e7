//! Property-based fuzzing (proptest, on stable Rust) of everything that reads what people or
//! other programs hand rollcall: the school's TOML, pupil CSVs, mark-batch lines, keymaps,
//! dates and times, spreadsheet encodings, and the socket's frames and requests. No input
//! panics; where there is a round trip, it comes back the same.

use crate::common::*;
use proptest::prelude::*;
use rollcall::keymap::{Key, Keymap};
use rollcall::service::protocol::Request;
use rollcall::service::wire::{ClientMessage, read_frame, write_frame};

/// 256 cases each in the suite; `PROPTEST_CASES=20000` for a deeper run.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that looks like what the parsers meet: punctuation and digits of the formats, a few
/// letters, control characters, non-ASCII, and the odd quote.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,80}",
        "[0-9:\\-/T, .#\"=\\[\\]a-zA-Z\n\r\t\u{1b}\u{feff}\u{202e}é]{0,120}",
    ]
}

/// The example configuration with one line replaced by arbitrary text.
fn mutated_config() -> impl Strategy<Value = String> {
    let lines: Vec<String> = EXAMPLE.lines().map(str::to_string).collect();
    let n = lines.len();
    (0..n, text()).prop_map(move |(i, replacement)| {
        let mut lines = lines.clone();
        lines[i] = replacement;
        lines.join("\n")
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn school_configurations_never_panic(source in prop_oneof![text(), mutated_config()]) {
        let _ = rollcall::config::parse_school("fuzz.toml", &source);
    }

    #[test]
    fn keymaps_never_panic_and_every_bound_key_reads_back(source in prop_oneof![
        text(),
        "\\[(global|register|picker|help|class_list)\\]\n(\"[a-zA-Z+\\- ]{1,12}\" = \"[a-z_]{1,14}\"\n){0,6}",
    ]) {
        let (keymap, _) = Keymap::with_user_file("fuzz.toml", &source);
        for section in rollcall::keymap::Section::ALL {
            for (keys, _) in keymap.help(*section) {
                for label in keys.split(", ") {
                    let key = Key::parse(label).unwrap();
                    prop_assert_eq!(key.label(), label);
                }
            }
        }
    }

    #[test]
    fn key_names_round_trip(name in "((ctrl|alt|shift)\\+){0,2}([a-zA-Z0-9?/\\\\]|space|enter|esc|tab|f[0-9]{1,2}|pageup|home)") {
        if let Ok(key) = Key::parse(&name) {
            prop_assert_eq!(Key::parse(&key.label()), Ok(key));
        }
    }

    #[test]
    fn dates_and_times_never_panic_and_round_trip(s in text(), days in 0i64..40_000) {
        let _ = rollcall::domain::dates::parse(&s);
        let _ = rollcall::domain::dates::parse_datetime(&s);
        let _ = rollcall::domain::session::parse_hm(&s);
        let _ = rollcall::domain::session::parse_typed_time(&s);
        let date = rollcall::domain::dates::earliest() + chrono::Days::new(days as u64);
        if date <= rollcall::domain::dates::latest() {
            prop_assert_eq!(rollcall::domain::dates::parse(&date.to_string()), Ok(date));
        } else {
            prop_assert!(rollcall::domain::dates::parse(&date.to_string()).is_err());
        }
    }

    #[test]
    fn times_round_trip(h in 0u32..24, m in 0u32..60) {
        let t = chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
        prop_assert_eq!(rollcall::domain::session::parse_hm(&rollcall::domain::session::hm(t)), Some(t));
        // Typed as people type it: 9.05, 905, 0905 are all 09:05.
        for typed in [format!("{h}.{m:02}"), format!("{h}{m:02}"), format!("{h:02}{m:02}")] {
            prop_assert_eq!(rollcall::domain::session::parse_typed_time(&typed), Some(t), "{}", typed);
        }
    }

    #[test]
    fn codes_round_trip(i in 0usize..rollcall::domain::codes::Code::ALL.len(), s in ".{0,4}") {
        let code = rollcall::domain::codes::Code::ALL[i];
        prop_assert_eq!(rollcall::domain::codes::Code::parse(code.as_str()), Some(code));
        let _ = rollcall::domain::codes::for_new_mark(&s);
    }

    #[test]
    fn pupil_lists_never_panic(
        rows in proptest::collection::vec(
            proptest::collection::vec(text(), 0..8).prop_map(|cells| cells.join(",")),
            0..6,
        ),
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let school = rollcall::config::parse_school("school.toml", EXAMPLE).unwrap();
        let csv = format!("upn,surname,forename,dob,year,group\n{}", rows.join("\n"));
        let _ = rollcall::service::import::parse_pupils("fuzz.csv", &csv, &school, d("2026-11-23"));
        if let Ok(text) = rollcall::files::spreadsheet("fuzz.csv", &bytes) {
            let _ = rollcall::service::import::parse_pupils("fuzz.csv", &text.text, &school, d("2026-11-23"));
        }
    }

    #[test]
    fn mark_batch_lines_never_panic(bytes in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        proptest::collection::vec(text(), 0..6).prop_map(|l| l.join("\n").into_bytes()),
    ]) {
        let mut lines = Vec::new();
        let _ = rollcall::cli::each_batch_line(bytes.as_slice(), d("2026-11-23"), |line, request| {
            lines.push((line, request.is_ok()));
            Ok(())
        });
        // Lines are named in order, as an editor numbers them.
        prop_assert!(lines.windows(2).all(|w| w[0].0 < w[1].0), "{:?}", lines);
    }

    #[test]
    fn frames_never_panic_and_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..64), id in any::<u64>()) {
        let _ = read_frame(&mut bytes.as_slice());
        let _ = serde_json::from_slice::<ClientMessage>(&bytes);
        let mut buf = Vec::new();
        write_frame(&mut buf, &ClientMessage { id, request: Request::Hello }).unwrap();
        let body = read_frame(&mut buf.as_slice()).unwrap().unwrap();
        let back: ClientMessage = serde_json::from_slice(&body).unwrap();
        prop_assert_eq!(back.id, id);
    }
}

/// Requests as a hostile client could send them: valid JSON shapes with arbitrary values.
fn request_json() -> impl Strategy<Value = serde_json::Value> {
    let date = prop_oneof![
        Just("2026-11-23".to_string()),
        Just("-262143-01-01".to_string()),
        Just("0000-01-01".to_string()),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
    ];
    let word = prop_oneof![Just("Oak".to_string()), ".{0,12}"];
    (
        prop_oneof![
            Just("mark"),
            Just("close"),
            Just("alerts"),
            Just("report"),
            Just("export_marks"),
            Just("register"),
            Just("class_list"),
            Just("find_pupils"),
            Just("plan_absence"),
            Just("history"),
            Just("n_queue"),
            Just("undo"),
        ],
        date.clone(),
        date,
        word.clone(),
        word,
        prop_oneof![Just("am"), Just("pm"), Just("xx")],
    )
        .prop_map(|(kind, d1, d2, w1, w2, session)| {
            serde_json::json!({
                "request": kind,
                "group": w1, "date": d1, "session": session, "upn": w2, "code": w2,
                "from": d1, "to": d2, "on": d2, "by": "school", "query": w1,
                "from_session": session, "to_session": session,
                "arrived": null, "note": w2, "reason": w1, "expect": "anything",
                "replace_office_mark": false,
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// What a hostile client can send gets an answer, never a panic, from the engine.
    #[test]
    fn the_engine_answers_every_request_a_client_can_send(request in request_json()) {
        let school = TestSchool::new("2026-11-23T09:10");
        if let Ok(request) = serde_json::from_value::<Request>(request) {
            let _ = school.engine.handle("office", request);
        }
    }
}
