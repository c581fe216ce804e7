//! The views a keymap has a section for, and the actions keys can be bound to: each declared
//! once, here, with its name in keymap files, its words in help and the views it belongs to.

/// One view's bindings as a keymap file writes them, with where each key and action is.
pub(super) type RawSection =
    std::collections::BTreeMap<toml::Spanned<String>, toml::Spanned<String>>;

/// Declares the views: the enum, the list, each view's name in a keymap file (the field name),
/// its title in help, whether it has a text field, and the raw TOML shape of a keymap file.
macro_rules! sections {
    ($($variant:ident => $field:ident, $title:literal, text: $text:literal;)*) => {
        /// A view a keymap has a section for. `Global` keys apply wherever a view does not
        /// bind the same key itself.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Section {
            $($variant),*
        }

        impl Section {
            pub const ALL: &'static [Section] = &[$(Section::$variant),*];

            /// The section's name in a keymap file: `[register]`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Section::$variant => stringify!($field)),*
                }
            }

            pub fn title(self) -> &'static str {
                match self {
                    $(Section::$variant => $title),*
                }
            }

            /// Views with a text field: printable keys type into it, so only keys that do not
            /// print (enter, esc, arrows, ctrl+...) are looked up there.
            pub fn takes_text(self) -> bool {
                match self {
                    $(Section::$variant => $text),*
                }
            }
        }

        /// A keymap file as TOML: an optional preset, then a table per view. Anything else
        /// is kept to be reported with the rest, so a misspelt `[registr]` is never silently
        /// ignored and does not hide the file's other mistakes.
        #[derive(serde::Deserialize)]
        pub(super) struct RawKeymap {
            pub preset: Option<toml::Spanned<String>>,
            $(pub $field: Option<RawSection>,)*
            #[serde(flatten)]
            pub unknown: std::collections::BTreeMap<String, toml::Value>,
        }

        impl RawKeymap {
            pub fn sections(&self) -> Vec<(Section, &Option<RawSection>)> {
                vec![$((Section::$variant, &self.$field)),*]
            }
        }
    };
}

sections! {
    Global => global, "Everywhere", text: false;
    ClassList => class_list, "Class list", text: false;
    Register => register, "Register", text: false;
    Picker => picker, "Code picker", text: true;
    Dialog => dialog, "Dialogs", text: true;
    Field => field, "Text fields", text: true;
    SignIn => sign_in, "Late sign-in", text: true;
    NQueue => n_queue, "N queue", text: false;
    Alerts => alerts, "Alerts", text: false;
    Today => today, "Today (office)", text: false;
    OnSite => on_site, "On site now", text: false;
    Reports => reports, "Reports", text: false;
    Pupil => pupil, "A pupil's year", text: false;
    Week => week, "A group's week", text: false;
    Stages => stages, "Stages of intervention", text: false;
    Casework => casework, "Casework (office)", text: false;
    Missing => missing, "Missing from lessons (office)", text: false;
    Help => help, "Help", text: false;
}

impl Section {
    /// Views listing pupils, where letters type a name to find one (unless the keymap makes
    /// letters commands, as the vim preset does).
    pub fn finds_names(self) -> bool {
        matches!(
            self,
            Section::Register
                | Section::NQueue
                | Section::Today
                | Section::OnSite
                | Section::Missing
        )
    }
}

/// Declares the actions: the enum and its table of name, description and views.
macro_rules! actions {
    ($($variant:ident => $name:ident, $description:literal, [$($section:ident),*];)*) => {
        /// What a key can be bound to.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum KeyAction {
            $($variant),*
        }

        /// Every action with its name, description and the views it belongs to, in the order
        /// help lists them.
        pub(super) const ACTIONS: &[(KeyAction, &str, &str, &[Section])] = &[
            $((KeyAction::$variant, stringify!($name), $description, &[$(Section::$section),*])),*
        ];
    };
}

actions! {
    Quit => quit, "leave rollcall (everything is already saved)", [Global];
    Help => help, "show the keys in force", [Global];
    Back => back, "back to the previous view", [Global, ClassList, Register, SignIn, NQueue, Alerts, Today, OnSite, Reports, Pupil, Week, Stages, Casework, Missing, Help];
    Refresh => refresh, "reload from the database", [Global, ClassList, Register, SignIn, NQueue, Alerts, Today, OnSite, Reports, Pupil, Week, Stages, Casework, Missing];
    Up => up, "move up", [Global, ClassList, Register, Picker, Dialog, SignIn, NQueue, Alerts, Today, OnSite, Reports, Pupil, Week, Stages, Casework, Missing, Help];
    Down => down, "move down", [Global, ClassList, Register, Picker, Dialog, SignIn, NQueue, Alerts, Today, OnSite, Reports, Pupil, Week, Stages, Casework, Missing, Help];
    PageUp => page_up, "move up a page", [Global, ClassList, Register, Picker, Dialog, SignIn, NQueue, Alerts, Today, OnSite, Reports, Pupil, Week, Stages, Casework, Missing, Help];
    PageDown => page_down, "move down a page", [Global, ClassList, Register, Picker, Dialog, SignIn, NQueue, Alerts, Today, OnSite, Reports, Pupil, Week, Stages, Casework, Missing, Help];
    Top => top, "first row", [Global, ClassList, Register, Picker, Dialog, SignIn, NQueue, Alerts, Today, OnSite, Reports, Pupil, Week, Stages, Casework, Missing, Help];
    Bottom => bottom, "last row", [Global, ClassList, Register, Picker, Dialog, SignIn, NQueue, Alerts, Today, OnSite, Reports, Pupil, Week, Stages, Casework, Missing, Help];
    Search => search, "jump by typing a name", [ClassList, Register];
    Open => open, "open the group's register for the session, or the lesson's", [ClassList];
    OtherSession => other_session, "switch between AM and PM", [ClassList, Register];
    PreviousDay => previous_day, "previous school day", [ClassList];
    NextDay => next_day, "next school day", [ClassList];
    BackToToday => today, "back to today", [ClassList];
    LateSignIn => late_sign_in, "sign a late arrival in (office)", [Global, ClassList, Register, NQueue, Alerts];
    NQueue => n_queue, "unresolved N marks, oldest first (office)", [Global, ClassList, Register, SignIn, Alerts];
    Alerts => alerts, "thresholds reached, with what was done (office)", [Global, ClassList, Register, SignIn, NQueue];
    TodayView => today_view, "who is away or unmarked this session, and missing registers (office)", [Global];
    OnSiteView => on_site_view, "on site now: the fire list, by group", [Global];
    ReportsView => reports_view, "attendance figures by school, year, group or pupil", [Global];
    StagesView => stages_view, "pupils at a stage of the school's intervention (office)", [Global];
    MissingView => missing_view, "pupils missing from lessons: found, or the parents informed (office)", [Global];
    MissingFound => missing_found, "the missing pupil found: say where", [Missing];
    ParentsInformed => parents_informed, "the missing pupil's parents informed: say who and how", [Missing];
    CaseworkView => casework_view, "casework: leave requests, notices, reviews and suspensions, what is due first (office)", [Global];
    FindPupil => find_pupil, "find a pupil by name or UPN and open their year", [Global];
    PupilYear => pupil_year, "the highlighted pupil's year, week by week", [Register, NQueue, Alerts, Today, OnSite, Reports, Stages, Casework, Missing];
    Present => present, "present (/ AM, \\ PM) if unmarked, and next pupil", [Register];
    Late => late, "late (L), arriving now, and next pupil", [Register];
    Absent => absent, "absent, no reason yet (N), and next pupil", [Register];
    CodePicker => code_picker, "choose any code for the pupil (after the close: an amendment)", [Register];
    AllPresent => all_present, "every unmarked pupil present", [Register];
    History => history, "the mark's history: who changed what, when and why", [Register];
    Clear => clear, "clear the mark back to blank (kept in its history)", [Register];
    Undo => undo, "undo your last change", [Register, SignIn];
    AdjustTime => adjust_time, "change the arrival time", [Register];
    CloseRegister => close_register, "close the register: blanks become N", [Register];
    ImportPupils => import_pupils, "preview a pupil list from a CSV file, then import it (admin)", [ClassList];
    Cover => cover, "assign cover: another teacher takes this group's register (office)", [ClassList];
    Choose => choose, "choose the highlighted row", [Picker, SignIn];
    Confirm => confirm, "confirm", [Dialog, Field];
    Cancel => cancel, "cancel", [Picker, Dialog, Field];
    CursorLeft => cursor_left, "cursor one character left", [Field];
    CursorRight => cursor_right, "cursor one character right", [Field];
    WordLeft => word_left, "cursor one word left", [Field];
    WordRight => word_right, "cursor one word right", [Field];
    FieldStart => field_start, "cursor to the start of the field", [Field];
    FieldEnd => field_end, "cursor to the end of the field", [Field];
    DeleteForward => delete_forward, "delete the character under the cursor", [Field];
    DeleteWord => delete_word, "delete the word before the cursor", [Field];
    ClearToStart => clear_to_start, "delete everything before the cursor", [Field];
    ClearToEnd => clear_to_end, "delete everything from the cursor on", [Field];
    Resolve => resolve, "resolve the N with a reason code", [NQueue];
    OverdueToO => overdue_to_o, "every overdue N becomes O (no reason established)", [NQueue];
    ActOnAlert => act_on_alert, "record what was done about the alert, with a note", [Alerts];
    StageDone => stage_done, "record the stage's action done, with a note", [Stages];
    StageSkip => stage_skip, "skip the stage, saying why: the pupil moves on to the next", [Stages];
    OpenCase => open_case, "open a case for the pupil: leave, penalty, notice, parttime, evidence, meeting", [Pupil];
    CaseStep => case_step, "record the case's next step (a decision, a payment, an outcome, a review) in words", [Casework];
    Contact => contact, "record a call to the pupil's family (first-day follow-up)", [Today];
    RemindTutor => remind_tutor, "remind the tutor to take the missing register, on their screen", [Today, Missing];
    SignOut => sign_out, "sign the pupil out: leaving now, with a reason", [OnSite];
    ReportBy => report_by, "break the figures down by school, year, group or pupil (office: or cohort)", [Reports];
    ReportCohort => report_cohort, "only pupils with a characteristic: SEN, EHC plan, FSM, PP, LAC, CIN, CP, EAL (office)", [Reports];
    ReportPeriod => report_period, "the period: this week, 4 weeks, 12 weeks, the year so far", [Reports];
    CompulsoryAge => compulsory_age, "only pupils of compulsory school age (as the DfE counts)", [Reports];
    AbsenceLevel => absence_level, "all pupils, persistent absence only, severe absence only, full attendance, improved", [Reports];
    SortBy => sort_by, "sort: as listed, lowest attendance, most late", [Reports];
    GroupWeek => group_week, "the group's week as a grid, and its weekly attendance chart", [ClassList, Register];
    PreviousWeek => previous_week, "the week before", [Week];
    NextWeek => next_week, "the week after", [Week];
    PlanAbsence => plan_absence, "plan an absence ahead: a code, dates, perhaps every week (office)", [Pupil, Week];
    WithdrawPlan => withdraw_plan, "withdraw a planned absence as a whole, with a reason (office)", [Pupil, Week];
    WeekChart => week_chart, "switch between the week's grid and the weekly chart", [Week];
    ExportCsv => export_csv, "save what is on screen as CSV in the current directory", [Reports];
}

impl KeyAction {
    fn info(self) -> &'static (KeyAction, &'static str, &'static str, &'static [Section]) {
        ACTIONS
            .iter()
            .find(|(a, ..)| *a == self)
            .expect("every action is in the table")
    }

    pub fn name(self) -> &'static str {
        self.info().1
    }

    pub fn description(self) -> &'static str {
        self.info().2
    }

    pub fn from_name(name: &str) -> Option<KeyAction> {
        ACTIONS
            .iter()
            .find(|(_, n, ..)| *n == name)
            .map(|(a, ..)| *a)
    }

    pub fn allowed_in(self, section: Section) -> bool {
        self.info().3.contains(&section)
    }
}
