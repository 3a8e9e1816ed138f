//! Opening hours: parses the subset of OpenStreetMap `opening_hours` that public offices use into
//! a weekly model for the hours table and schema.org markup, with precise, spanned errors.
//!
//! Supported: weekday selectors (`Mo`, `Mo-Fr`, wrapping `Sa-Mo`, lists `Mo,We`, `PH`), time
//! spans `HH:MM-HH:MM` (several joined by `,`), `off`/`closed`, `24/7` and a trailing `"comment"`.
//! Rules are separated by `;`; a later rule for a day replaces an earlier one, as in OSM.
//! Anything else (months, dates, week numbers, years, `sunrise`, open ends `+`, `||` fallbacks,
//! `SH`) is rejected by name: half-understood hours on an office page are worse than an error.
//!
//! Decisions:
//! - An interval crossing midnight (`22:00-02:00`) stays on the day it starts, with `end > 1440`
//!   (here 1320..1560), so one written span is one [`Interval`]. Its spill into the next day is
//!   not checked against that day's hours. An end of `00:00` is midnight (`22:00-00:00` is
//!   1320..1440), which follows from the same rule.
//! - Keywords and weekdays are case-insensitive, and an en dash works like `-`, because editors
//!   copy hours back from the rendered page, which shows `08:00–16:00`.
//! - A rule without a day selector applies to Monday..Sunday and leaves public holidays alone.
//! - `always_open` is derived, not syntactic: every weekday 00:00-24:00 and holidays not restricted.
//!
//! Size: about 610 lines before its tests; the grammar, the model and the error messages are one
//! parser, and its errors are the reason it exists.

use std::fmt;
use std::iter::Peekable;
use std::ops::Range;
use std::str::CharIndices;

use serde::Serialize;

const DAY: u16 = 24 * 60;
/// Selector names; public holidays are the eighth "day" so a selector is one `[bool; 8]`.
const WEEKDAYS: [&str; 8] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "PH"];
const PH: usize = 7;
const SCHEMA_DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const DAYS_HINT: &str = "weekdays are Mo Tu We Th Fr Sa Su, and PH for public holidays";
const SEASONAL_HINT: &str = "write the hours that apply now; seasonal rules are not supported";
const TIME_HINT: &str = "write times as HH:MM, from 00:00 to 24:00";
const RULES_HINT: &str = "separate rules with `;`, e.g. `Mo-Fr 08:00-16:00; Sa 09:00-13:00`";

/// A parse error: what is wrong and where (byte range in the input string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub message: String,
    pub span: Range<usize>,
    pub hint: Option<String>,
}

impl ParseError {
    fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        ParseError { message: message.into(), span, hint: None }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parsed opening hours. `days[0]` is Monday; each day's intervals are sorted and disjoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct OpeningHours {
    pub days: [Vec<Interval>; 7],
    pub public_holidays: Holidays,
    pub always_open: bool,
    pub comments: Vec<String>,
}

/// Open from `start` to `end`, in minutes from midnight of the day it belongs to. `end` is at
/// most 1440 unless the interval crosses midnight, then `end - 1440` is the next day's closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Interval {
    pub start: u16,
    pub end: u16,
}

/// Hours on public holidays. `Unspecified` means no `PH` rule: regular weekday hours apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) enum Holidays {
    Unspecified,
    Closed,
    Open(Vec<Interval>),
}

impl Interval {
    /// `08:00–16:00` (en dash); a midnight-crossing interval shows its clock time, `22:00–02:00`.
    pub(crate) fn format(&self) -> String {
        let end = if self.end > DAY { self.end - DAY } else { self.end };
        format!("{}–{}", clock(self.start), clock(end))
    }

    fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl OpeningHours {
    /// Rows for a weekly table: consecutive weekdays with identical hours grouped:
    /// (first_day_index, last_day_index, intervals); closed days have empty intervals.
    /// Sunday and Monday are not joined across the week's end.
    pub(crate) fn weekly_rows(&self) -> Vec<(usize, usize, Vec<Interval>)> {
        let mut rows: Vec<(usize, usize, Vec<Interval>)> = Vec::new();
        for (day, intervals) in self.days.iter().enumerate() {
            match rows.last_mut() {
                Some((_, last, same)) if same == intervals => *last = day,
                _ => rows.push((day, day, intervals.clone())),
            }
        }
        rows
    }

    /// schema.org OpeningHoursSpecification entries: (vec of day names "Monday".., opens "08:00",
    /// closes "16:00"), one per distinct interval set.
    ///
    /// A set with two intervals gives two entries (a specification has one opens/closes pair).
    /// Days need not be consecutive to share an entry; open public holidays join as
    /// `"PublicHolidays"` (a schema.org `DayOfWeek`); closed days are left out. Midnight closes
    /// as `"23:59"`, the convention search engines document for "open until the end of the day".
    pub(crate) fn schema_org(&self) -> Vec<(Vec<&'static str>, String, String)> {
        let holidays = match &self.public_holidays {
            Holidays::Open(intervals) => Some((intervals.as_slice(), "PublicHolidays")),
            _ => None,
        };
        let mut groups: Vec<(&[Interval], Vec<&'static str>)> = Vec::new();
        let days = self.days.iter().map(Vec::as_slice).zip(SCHEMA_DAYS).chain(holidays);
        for (intervals, name) in days.filter(|(intervals, _)| !intervals.is_empty()) {
            match groups.iter_mut().find(|(set, _)| *set == intervals) {
                Some((_, names)) => names.push(name),
                None => groups.push((intervals, vec![name])),
            }
        }
        let closes = |end: u16| if end == DAY { "23:59".to_string() } else { clock(end % DAY) };
        groups
            .into_iter()
            .flat_map(|(set, names)| set.iter().map(move |i| (names.clone(), clock(i.start), closes(i.end))))
            .collect()
    }
}

/// Parses an OSM `opening_hours` value; see the module documentation for what is supported.
pub(crate) fn parse(input: &str) -> Result<OpeningHours, ParseError> {
    if input.trim().is_empty() {
        return Err(ParseError::new("opening hours are empty", 0..input.len())
            .hint("write e.g. `Mo-Fr 08:00-16:00`, or leave the field out"));
    }
    let tokens = lex(input)?;
    let hours = OpeningHours {
        days: Default::default(),
        public_holidays: Holidays::Unspecified,
        always_open: false,
        comments: Vec::new(),
    };
    Parser { src: input, tokens, pos: 0, prev: 0..0, hours, has_hours: false }.rules()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    /// Digits with `:` or `.`, validated later so `8:00` and `08.00` get tailored messages.
    Number,
    Dash,
    Comma,
    Semicolon,
    Slash,
    Plus,
    Pipes,
    Comment,
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    span: Range<usize>,
}

fn lex(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let kind = match c {
            c if c.is_whitespace() => continue,
            // Any script, so Polish `Śr` or Ukrainian `Пн` is one word and gets a real message.
            c if c.is_alphabetic() => {
                end = eat_while(&mut chars, end, char::is_alphabetic);
                Kind::Word
            }
            '0'..='9' => {
                end = eat_while(&mut chars, end, |c| c.is_ascii_digit() || c == ':' || c == '.');
                Kind::Number
            }
            '-' | '–' => Kind::Dash,
            ',' => Kind::Comma,
            ';' => Kind::Semicolon,
            '/' => Kind::Slash,
            '+' => Kind::Plus,
            '|' if chars.next_if(|&(_, c)| c == '|').is_some() => {
                end += 1;
                Kind::Pipes
            }
            '"' => match chars.find(|&(_, c)| c == '"') {
                Some((close, _)) => {
                    end = close + 1;
                    Kind::Comment
                }
                None => {
                    return Err(ParseError::new("comment is missing its closing `\"`", start..src.len())
                        .hint("end the comment with a straight double quote: \"by appointment\""));
                }
            },
            _ => Kind::Other,
        };
        tokens.push(Token { kind, span: start..end });
    }
    Ok(tokens)
}

fn eat_while(chars: &mut Peekable<CharIndices>, mut end: usize, pred: fn(char) -> bool) -> usize {
    while let Some(&(i, c)) = chars.peek()
        && pred(c)
    {
        end = i + c.len_utf8();
        chars.next();
    }
    end
}

/// The days a rule's selector picks: Monday..Sunday, then public holidays at [`PH`].
type Selection = [bool; 8];

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// The last consumed token's span: ends multi-token spans, and marks what an input ends after.
    prev: Range<usize>,
    hours: OpeningHours,
    /// Whether some rule said anything about hours, so a lone comment is not "closed all week".
    has_hours: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_kind(&self) -> Option<Kind> {
        self.peek().map(|t| t.kind)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned()?;
        self.pos += 1;
        self.prev = token.span.clone();
        Some(token)
    }

    fn eat(&mut self, kind: Kind) -> Option<Token> {
        if self.peek_kind() == Some(kind) { self.next() } else { None }
    }

    fn text(&self, token: &Token) -> &str {
        &self.src[token.span.clone()]
    }

    fn is_weekday(&self, token: &Token) -> bool {
        token.kind == Kind::Word && weekday(self.text(token)).is_some()
    }

    /// The next token, which must be of `kind`; otherwise an error saying `expected` was wanted.
    fn expect(&mut self, kind: Kind, expected: &str) -> Result<Token, ParseError> {
        match self.eat(kind) {
            Some(token) => Ok(token),
            None => Err(self.unexpected(expected)),
        }
    }

    /// The error for the next token (or the end), naming unsupported syntax when it is that.
    fn unexpected(&self, expected: &str) -> ParseError {
        let Some(token) = self.peek() else {
            return ParseError::new(format!("expected {expected}, found the end"), self.prev.clone());
        };
        let (text, span) = (self.text(token), token.span.clone());
        let plain = || ParseError::new(format!("expected {expected}, found `{text}`"), span.clone());
        let (what, hint) = match (token.kind, text) {
            (Kind::Plus, _) => ("open end `+`", "give a closing time, e.g. 08:00-16:00"),
            (Kind::Pipes, _) => ("fallback rule `||`", "write the regular hours; put remarks in a \"comment\""),
            (Kind::Slash, _) => ("repeating time `/`", "write the opening times as ranges, e.g. 08:00-16:00"),
            (Kind::Other, "[") => ("nth-weekday selector `[…]`", SEASONAL_HINT),
            (Kind::Other, "„" | "“" | "”") => {
                ("typographic quote", "put comments in straight quotes: \"by appointment\"")
            }
            (Kind::Word, _) => return unsupported_word(text, &span).unwrap_or_else(plain),
            _ => return plain(),
        };
        ParseError::new(format!("{what} is not supported"), span).hint(hint)
    }

    fn rules(mut self) -> Result<OpeningHours, ParseError> {
        loop {
            self.rule()?;
            match self.peek() {
                None => break,
                Some(t) if t.kind == Kind::Semicolon => {
                    self.next();
                    // A trailing `;` is harmless and common; an empty rule elsewhere is reported.
                    if self.peek().is_none() {
                        break;
                    }
                }
                Some(t) if self.is_weekday(t) => {
                    return Err(ParseError::new(format!("missing `;` before `{}`", self.text(t)), t.span.clone())
                        .hint(RULES_HINT));
                }
                Some(_) => return Err(self.unexpected("`;` or the end")),
            }
        }
        if !self.has_hours {
            return Err(ParseError::new("opening hours contain only comments", 0..self.src.len())
                .hint("add the hours, e.g. `Mo-Fr 08:00-16:00 \"by appointment\"`"));
        }
        let h = &mut self.hours;
        let full = [Interval { start: 0, end: DAY }];
        h.always_open = h.days.iter().all(|d| d[..] == full)
            && match &h.public_holidays {
                Holidays::Unspecified => true,
                Holidays::Closed => false,
                Holidays::Open(intervals) => intervals[..] == full,
            };
        Ok(self.hours)
    }

    fn rule(&mut self) -> Result<(), ParseError> {
        match self.peek_kind() {
            Some(Kind::Semicolon) => return Err(self.unexpected("a rule before `;`").hint("remove the extra `;`")),
            Some(Kind::Comment) => {
                self.comment();
                return Ok(());
            }
            _ => {}
        }
        let everyday = [true, true, true, true, true, true, true, false];
        if self.at_twenty_four_seven().is_some() {
            (0..3).for_each(|_| _ = self.next());
            self.apply(&everyday, vec![Interval { start: 0, end: DAY }]);
            self.comment();
            return Ok(());
        }
        self.reject_year()?;
        let (selection, selector) = match self.peek_kind() {
            Some(Kind::Word) if !self.at_off() => self.selector().map(|(days, span)| (days, Some(span)))?,
            _ => (everyday, None),
        };
        let intervals = match (self.peek_kind(), selector) {
            (Some(Kind::Number), _) => self.times()?,
            (Some(Kind::Word), _) if self.at_off() => {
                self.next();
                Vec::new()
            }
            (None | Some(Kind::Semicolon | Kind::Comment), Some(span)) => {
                let days = &self.src[span.clone()];
                return Err(ParseError::new(format!("`{days}` has no opening times"), span)
                    .hint(format!("add the hours, e.g. `{days} 08:00-16:00`, or `{days} off` if closed")));
            }
            (_, Some(_)) if self.peek().is_some_and(|t| self.is_weekday(t)) => {
                let error = self.unexpected("opening times such as 08:00-16:00, or `off`");
                return Err(error.hint("join weekdays with `,` or `-`: `Mo,We` or `Mo-Fr`"));
            }
            (_, Some(_)) => return Err(self.unexpected("opening times such as 08:00-16:00, or `off`")),
            (_, None) => return Err(self.unexpected("weekdays or times")),
        };
        self.apply(&selection, intervals);
        self.comment();
        Ok(())
    }

    fn at_off(&self) -> bool {
        self.peek().is_some_and(|t| t.kind == Kind::Word && is_off(self.text(t)))
    }

    /// `Mo-Fr,PH`: returns the selection and the selector's span.
    fn selector(&mut self) -> Result<(Selection, Range<usize>), ParseError> {
        let mut selection = [false; 8];
        let start = self.peek().map_or(0, |t| t.span.start);
        loop {
            let first = self.expect(Kind::Word, "a weekday")?;
            let from = self.day(&first)?;
            let to = match self.eat(Kind::Dash) {
                Some(_) => {
                    let last = self.expect(Kind::Word, "a weekday to end the range")?;
                    self.day(&last)?
                }
                None => from,
            };
            if (from == PH || to == PH) && from != to {
                return Err(ParseError::new(
                    "`PH` cannot be part of a range of weekdays",
                    first.span.start..self.prev.end,
                )
                .hint("list it separately: `Mo-Fr,PH`"));
            }
            if from == PH {
                selection[PH] = true;
            } else {
                // Walking forward modulo 7 makes `Sa-Mo` mean Saturday, Sunday, Monday.
                (0..=(to + 7 - from) % 7).for_each(|i| selection[(from + i) % 7] = true);
            }
            if self.eat(Kind::Comma).is_none() {
                return Ok((selection, start..self.prev.end));
            }
        }
    }

    /// A weekday index, or [`PH`].
    fn day(&self, token: &Token) -> Result<usize, ParseError> {
        let word = self.text(token);
        if let Some(day) = weekday(word) {
            return Ok(day);
        }
        if let Some(error) = unsupported_word(word, &token.span) {
            return Err(error);
        }
        let hint = match localized_weekday(word) {
            Some(day) => format!("write weekdays in English: `{word}` is `{}`; {DAYS_HINT}", WEEKDAYS[day]),
            None => DAYS_HINT.to_string(),
        };
        Err(ParseError::new(format!("unknown weekday `{word}`"), token.span.clone()).hint(hint))
    }

    /// `08:00-12:00,13:00-17:00`, sorted, rejecting overlaps.
    fn times(&mut self) -> Result<Vec<Interval>, ParseError> {
        let mut spans: Vec<(Interval, Range<usize>)> = Vec::new();
        loop {
            if let Some(span) = self.at_twenty_four_seven() {
                return Err(ParseError::new("`24/7` must stand alone as a rule", span)
                    .hint("for whole days write 00:00-24:00, e.g. `Mo-Fr 00:00-24:00`"));
            }
            let (interval, span) = self.interval()?;
            if let Some((_, earlier)) = spans.iter().find(|(other, _)| other.overlaps(&interval)) {
                let message = format!("`{}` overlaps `{}`", &self.src[span.clone()], &self.src[earlier.clone()]);
                return Err(ParseError::new(message, span).hint("merge overlapping times into one range"));
            }
            spans.push((interval, span));
            let Some(comma) = self.eat(Kind::Comma) else { break };
            // `08:00-16:00, Sa 09:00-13:00` is OSM's additional-rule syntax; `;` says the same plainly.
            if let Some(t) = self.peek().filter(|t| self.is_weekday(t)) {
                return Err(ParseError::new(
                    format!("expected a time after `,`, found `{}`", self.text(t)),
                    comma.span,
                )
                .hint(RULES_HINT));
            }
        }
        let mut intervals: Vec<Interval> = spans.into_iter().map(|(interval, _)| interval).collect();
        intervals.sort_by_key(|i| i.start);
        Ok(intervals)
    }

    fn interval(&mut self) -> Result<(Interval, Range<usize>), ParseError> {
        let from = self.expect(Kind::Number, "a time such as 08:00")?;
        let start = parse_time(self.text(&from), &from.span)?;
        if start == DAY {
            return Err(ParseError::new("an opening time cannot be 24:00", from.span).hint("write 00:00"));
        }
        if self.eat(Kind::Dash).is_none() {
            if self.peek_kind() == Some(Kind::Plus) {
                return Err(self.unexpected("an end time"));
            }
            let text = self.text(&from);
            return Err(ParseError::new(format!("time `{text}` has no end time"), from.span.clone())
                .hint(format!("write a range such as {text}-16:00")));
        }
        let to = self.expect(Kind::Number, "an end time such as 16:00")?;
        let end = parse_time(self.text(&to), &to.span)?;
        let span = from.span.start..to.span.end;
        if end == start {
            return Err(ParseError::new(format!("interval `{}` is empty", &self.src[span.clone()]), span)
                .hint("the end must differ from the start; for a whole day write 00:00-24:00"));
        }
        // An end before the start is the next day's clock time: the interval crosses midnight.
        let end = if end < start { end + DAY } else { end };
        Ok((Interval { start, end }, span))
    }

    fn apply(&mut self, selection: &Selection, intervals: Vec<Interval>) {
        self.has_hours = true;
        for day in (0..7).filter(|&day| selection[day]) {
            self.hours.days[day] = intervals.clone();
        }
        if selection[PH] {
            self.hours.public_holidays =
                if intervals.is_empty() { Holidays::Closed } else { Holidays::Open(intervals) };
        }
    }

    /// Keeps a `"comment"` if one is next.
    fn comment(&mut self) {
        if let Some(token) = self.eat(Kind::Comment) {
            let text = self.src[token.span.start + 1..token.span.end - 1].trim();
            if !text.is_empty() {
                self.hours.comments.push(text.to_string());
            }
        }
    }

    /// The span of `24/7` if it is next.
    fn at_twenty_four_seven(&self) -> Option<Range<usize>> {
        match self.tokens.get(self.pos..self.pos + 3)? {
            [a, slash, b] if self.text(a) == "24" && slash.kind == Kind::Slash && self.text(b) == "7" => {
                Some(a.span.start..b.span.end)
            }
            _ => None,
        }
    }

    /// `2024 Mo-Fr …` or `2024-2025 …`: a year selector, which would otherwise read as time `20:24`.
    fn reject_year(&self) -> Result<(), ParseError> {
        let rest = &self.tokens[self.pos..];
        let year = |i: usize| {
            let is_year =
                |t: &&Token| t.span.len() == 4 && !self.text(t).contains([':', '.']) && self.text(t) >= "1900";
            rest.get(i).filter(|t| t.kind == Kind::Number).filter(is_year)
        };
        let kind = |i: usize| rest.get(i).map(|t| t.kind);
        let next = if kind(1) == Some(Kind::Dash) && year(2).is_some() { 3 } else { 1 };
        match year(0) {
            Some(t) if kind(next) == Some(Kind::Word) => {
                Err(ParseError::new(format!("year selector `{}` is not supported", self.text(t)), t.span.clone())
                    .hint(SEASONAL_HINT))
            }
            _ => Ok(()),
        }
    }
}

fn weekday(word: &str) -> Option<usize> {
    WEEKDAYS.iter().position(|day| day.eq_ignore_ascii_case(word))
}

fn is_off(word: &str) -> bool {
    word.eq_ignore_ascii_case("off") || word.eq_ignore_ascii_case("closed")
}

/// Polish and Ukrainian abbreviations, the likeliest mistakes on this portal.
fn localized_weekday(word: &str) -> Option<usize> {
    const POLISH: [&str; 7] = ["pn", "wt", "śr", "cz", "pt", "so", "nd"];
    const UKRAINIAN: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "нд"];
    let word = word.to_lowercase();
    POLISH.iter().position(|d| *d == word).or_else(|| UKRAINIAN.iter().position(|d| *d == word))
}

/// Valid OSM words this parser deliberately does not support, with a message naming them.
fn unsupported_word(word: &str, span: &Range<usize>) -> Option<ParseError> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = word.to_ascii_lowercase();
    let (what, hint) = match lower.as_str() {
        m if MONTHS.contains(&m) => ("month selector", SEASONAL_HINT),
        "week" => ("week-number selector", SEASONAL_HINT),
        "easter" => ("date", SEASONAL_HINT),
        "sh" => ("school-holiday selector", "write the hours that apply now; school-holiday rules are not supported"),
        "sunrise" | "sunset" | "dawn" | "dusk" => ("variable time", "write a clock time such as 07:00"),
        "open" | "unknown" => ("state", "give the hours, e.g. `Mo-Fr 08:00-16:00`, or `off`"),
        _ => return None,
    };
    Some(ParseError::new(format!("{what} `{word}` is not supported"), span.clone()).hint(hint))
}

/// `08:00` → 480. The lexer hands over digits with `:`/`.`, so common near misses (`8:00`, `0800`,
/// `8.30`) get a message with the corrected time.
fn parse_time(text: &str, span: &Range<usize>) -> Result<u16, ParseError> {
    let error = |message: String| Err(ParseError::new(message, span.clone()).hint(TIME_HINT));
    let (hours, minutes, separator) = match text.find([':', '.']) {
        Some(i) => (&text[..i], &text[i + 1..], Some(&text[i..=i])),
        None if text.len() <= 2 => (text, "00", None),
        None => (&text[..text.len() - 2], &text[text.len() - 2..], None),
    };
    let number = |s: &str| (1..=2).contains(&s.len()).then(|| s.parse::<u16>().ok()).flatten();
    let (Some(h), Some(m)) = (number(hours), number(minutes)) else {
        return error(format!("`{text}` is not a time"));
    };
    let fixed = format!("{h:02}:{m:02}");
    if h > 24 {
        error(format!("time `{text}` is out of range: hours go from 00 to 24"))
    } else if m >= 60 {
        error(format!("time `{text}` is out of range: minutes go from 00 to 59"))
    } else if h == 24 && m > 0 {
        Err(ParseError::new(format!("time `{text}` is after midnight"), span.clone())
            .hint(format!("write 00:{m:02}; an interval may cross midnight, e.g. 22:00-00:{m:02}")))
    } else if separator.is_none() && text.len() <= 2 {
        error(format!("time `{text}` must have minutes: {fixed}"))
    } else if separator.is_none() {
        error(format!("time `{text}` must have a colon: {fixed}"))
    } else if separator == Some(".") {
        error(format!("time `{text}` must use a colon: {fixed}"))
    } else if hours.len() == 1 {
        error(format!("time `{text}` must have two-digit hours: {fixed}"))
    } else if minutes.len() == 1 {
        error(format!("time `{text}` must have two-digit minutes"))
    } else {
        Ok(h * 60 + m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An interval in whole hours, `end` may pass 24 for midnight crossing.
    fn h(start: u16, end: u16) -> Interval {
        Interval { start: start * 60, end: end * 60 }
    }

    fn days(input: &str) -> [Vec<Interval>; 7] {
        parse(input).unwrap().days
    }

    #[test]
    fn weekday_ranges_lists_and_rules() {
        let d = days("Mo-Fr 08:00-16:00");
        assert_eq!(d[..5], [vec![h(8, 16)], vec![h(8, 16)], vec![h(8, 16)], vec![h(8, 16)], vec![h(8, 16)]]);
        assert!(d[5].is_empty() && d[6].is_empty());

        let d = days("Mo 07:00-18:00; Tu-Fr 07:30-15:30");
        assert_eq!(d[0], [h(7, 18)]);
        assert_eq!(d[1], [Interval { start: 450, end: 930 }]);
        assert!(d[4] == d[1] && d[5].is_empty());

        let oh = parse("Mo,We 08:00-12:00,13:00-17:00; Sa 09:00-13:00; PH off").unwrap();
        assert_eq!(oh.days[0], [h(8, 12), h(13, 17)]);
        assert_eq!(oh.days[2], oh.days[0]);
        assert!(oh.days[1].is_empty() && oh.days[3].is_empty());
        assert_eq!(oh.days[5], [h(9, 13)]);
        assert_eq!(oh.public_holidays, Holidays::Closed);
        assert!(!oh.always_open);

        // Wrapping range, spans given out of order are sorted, en dash and any case accepted.
        let d = days("sa-mo 13:00–17:00,08:00-12:00");
        assert!(d[5] == [h(8, 12), h(13, 17)] && d[6] == d[5] && d[0] == d[5] && d[1].is_empty());
    }

    #[test]
    fn later_rules_replace_earlier_ones() {
        let d = days("Mo-Fr 08:00-16:00; We 10:00-12:00; Fr off; Sa,Su off");
        assert_eq!((&d[0], &d[2], &d[3]), (&vec![h(8, 16)], &vec![h(10, 12)], &vec![h(8, 16)]));
        assert!(d[4].is_empty() && d[5].is_empty() && d[6].is_empty());
        assert!(days("Mo-Fr 08:00-15:30; Sa,Su closed")[6].is_empty());
        assert_eq!(days("Mo-Su off; Tu 09:00-10:00")[1], [h(9, 10)]);
    }

    #[test]
    fn no_selector_means_every_day_and_24_7_is_always_open() {
        assert!(days("10:00-14:00").iter().all(|d| *d == [h(10, 14)]));
        let oh = parse("24/7").unwrap();
        assert!(oh.always_open && oh.days.iter().all(|d| *d == [h(0, 24)]));
        assert_eq!(oh.public_holidays, Holidays::Unspecified);
        assert!(parse("Mo-Su 00:00-24:00").unwrap().always_open);
        assert!(!parse("24/7; PH off").unwrap().always_open);
        assert!(!parse("Mo-Sa 00:00-24:00").unwrap().always_open);
    }

    #[test]
    fn public_holidays() {
        let oh = parse("Mo-Fr,PH 08:00-16:00").unwrap();
        assert_eq!(oh.public_holidays, Holidays::Open(vec![h(8, 16)]));
        assert_eq!(oh.days[4], [h(8, 16)]);
        assert!(oh.days[5].is_empty());
        assert_eq!(
            parse("Mo-Fr 08:00-16:00; PH 10:00-12:00").unwrap().public_holidays,
            Holidays::Open(vec![h(10, 12)])
        );
        assert_eq!(parse("PH off; Mo-Fr 08:00-16:00").unwrap().public_holidays, Holidays::Closed);
        assert_eq!(parse("Mo-Fr 08:00-16:00").unwrap().public_holidays, Holidays::Unspecified);
    }

    #[test]
    fn comments_and_trailing_semicolon() {
        let oh = parse(r#"Tu-Th 10:00-14:00 "by appointment"; Fr off " closed in summer ";"#).unwrap();
        assert_eq!(oh.comments, ["by appointment", "closed in summer"]);
        assert_eq!(oh.days[1], [h(10, 14)]);
        assert_eq!(parse(r#""call first"; Mo 08:00-09:00"#).unwrap().comments, ["call first"]);
    }

    #[test]
    fn midnight_crossing_stays_on_its_first_day() {
        let d = days("Mo-Fr 16:00-08:00");
        assert_eq!(d[0], [h(16, 32)]);
        assert_eq!(d[0][0].format(), "16:00–08:00");
        assert_eq!(days("Fr 22:00-00:00")[4], [h(22, 24)]);
        assert_eq!(days("Sa 00:00-24:00")[5][0].format(), "00:00–24:00");
        assert_eq!(Interval { start: 450, end: 930 }.format(), "07:30–15:30");
    }

    #[test]
    fn weekly_rows_group_consecutive_days() {
        let oh = parse("Mo-Fr 08:00-16:00; Sa 09:00-13:00").unwrap();
        assert_eq!(oh.weekly_rows(), [(0, 4, vec![h(8, 16)]), (5, 5, vec![h(9, 13)]), (6, 6, vec![])]);
        // Equal but not consecutive days are separate rows; the week does not wrap.
        let oh = parse("Mo,We,Su 08:00-12:00").unwrap();
        let rows = oh.weekly_rows();
        assert_eq!(rows.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), [(0, 0), (1, 1), (2, 2), (3, 5), (6, 6)]);
        assert_eq!(parse("off").unwrap().weekly_rows(), [(0, 6, vec![])]);
    }

    #[test]
    fn schema_org_entries() {
        let oh = parse("Mo-Fr 08:00-16:00; Sa 09:00-13:00").unwrap();
        let weekdays = vec!["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
        let entry = |days: Vec<&'static str>, opens: &str, closes: &str| (days, opens.to_string(), closes.to_string());
        assert_eq!(oh.schema_org(), [entry(weekdays, "08:00", "16:00"), entry(vec!["Saturday"], "09:00", "13:00")]);

        let oh = parse("Mo,We,PH 08:00-12:00,13:00-17:00; Fr 22:00-02:00").unwrap();
        let split = vec!["Monday", "Wednesday", "PublicHolidays"];
        let expected = [
            entry(split.clone(), "08:00", "12:00"),
            entry(split, "13:00", "17:00"),
            entry(vec!["Friday"], "22:00", "02:00"),
        ];
        assert_eq!(oh.schema_org(), expected);
        assert_eq!(parse("24/7").unwrap().schema_org(), [entry(SCHEMA_DAYS.to_vec(), "00:00", "23:59")]);
    }

    #[test]
    fn serializes_for_templates() {
        let json = serde_json::to_value(parse("Mo 08:00-16:00; PH off").unwrap()).unwrap();
        assert_eq!(json["days"][0], serde_json::json!([{"start": 480, "end": 960}]));
        assert_eq!(json["public_holidays"], "Closed");
    }

    /// Each case: input, text in the message, the text the span covers, text in the hint.
    #[test]
    fn errors_are_precise() {
        let cases = [
            ("Mo-Fr 8:00-16:00", "time `8:00` must have two-digit hours: 08:00", "8:00", "HH:MM"),
            ("Mo-Fr 08:00-1600", "time `1600` must have a colon: 16:00", "1600", "HH:MM"),
            ("Mo-Fr 8.00-16.00", "time `8.00` must use a colon: 08:00", "8.00", "HH:MM"),
            ("Mo-Fr 8-16", "time `8` must have minutes: 08:00", "8", "HH:MM"),
            ("Mo-Fr 08:00-25:00", "hours go from 00 to 24", "25:00", "HH:MM"),
            ("Mo-Fr 08:60-16:00", "minutes go from 00 to 59", "08:60", "HH:MM"),
            ("Fr 22:00-24:30", "time `24:30` is after midnight", "24:30", "write 00:30"),
            ("Mo 24:00-02:00", "cannot be 24:00", "24:00", "00:00"),
            ("Mo-Fx 08:00-16:00", "unknown weekday `Fx`", "Fx", "Mo Tu We Th Fr Sa Su, and PH"),
            ("Pn-Pt 08:00-16:00", "unknown weekday `Pn`", "Pn", "`Pn` is `Mo`"),
            ("Пн 08:00-16:00", "unknown weekday `Пн`", "Пн", "`Пн` is `Mo`"),
            ("Mo-Fr 08:00-08:00", "interval `08:00-08:00` is empty", "08:00-08:00", "00:00-24:00"),
            ("Mo 08:00-13:00,12:00-17:00", "`12:00-17:00` overlaps `08:00-13:00`", "12:00-17:00", "merge"),
            ("Mo 22:00-02:00,23:00-23:30", "overlaps `22:00-02:00`", "23:00-23:30", "merge"),
            ("Mo-Fr", "`Mo-Fr` has no opening times", "Mo-Fr", "`Mo-Fr 08:00-16:00`"),
            ("Mo-Fr,PH \"by appointment\"", "`Mo-Fr,PH` has no opening times", "Mo-Fr,PH", "off"),
            ("Mo 08:00", "time `08:00` has no end time", "08:00", "08:00-16:00"),
            ("", "opening hours are empty", "", "Mo-Fr"),
            (" \t", "opening hours are empty", " \t", "Mo-Fr"),
            ("Jan-Mar Mo-Fr 08:00-16:00", "month selector `Jan` is not supported", "Jan", "seasonal"),
            ("week 01-26 Mo 08:00-09:00", "week-number selector `week`", "week", "seasonal"),
            ("2024-2025 Mo 08:00-09:00", "year selector `2024`", "2024", "seasonal"),
            ("2025 Mo 08:00-09:00", "year selector `2025` is not supported", "2025", "seasonal"),
            ("Mo[1] 08:00-09:00", "nth-weekday selector", "[", "seasonal"),
            ("Mo-Fr sunrise-16:00", "variable time `sunrise` is not supported", "sunrise", "07:00"),
            ("Mo-Fr 08:00+", "open end `+` is not supported", "+", "closing time"),
            ("Mo-Fr 08:00-16:00+", "open end `+`", "+", "closing time"),
            ("Mo-Fr 08:00-16:00 || \"call\"", "fallback rule `||` is not supported", "||", "regular hours"),
            ("SH off; Mo 08:00-09:00", "school-holiday selector `SH` is not supported", "SH", "school-holiday"),
            ("PH-Mo 08:00-09:00", "`PH` cannot be part of a range", "PH-Mo", "Mo-Fr,PH"),
            ("Sa,Fr-PH 08:00-09:00", "`PH` cannot be part of a range", "Fr-PH", "Mo-Fr,PH"),
            ("Mo-Fr 24/7", "`24/7` must stand alone", "24/7", "00:00-24:00"),
            ("Mo-Fr 08:00-16:00 Sa 09:00-13:00", "missing `;` before `Sa`", "Sa", "separate rules"),
            ("Mo-Fr 08:00-16:00, Sa 09:00-13:00", "expected a time after `,`, found `Sa`", ",", "separate rules"),
            ("Mo-Fr 08:00-16:00;; Sa off", "expected a rule before `;`", ";", "extra"),
            ("Mo 08:00-09:00 \"by appointment", "missing its closing", "\"by appointment", "straight"),
            ("Mo 08:00-09:00 „po umówieniu”", "typographic quote is not supported", "„", "straight quotes"),
            ("\"call first\"", "only comments", "\"call first\"", "add the hours"),
            ("Mo We 08:00-16:00", "expected opening times such as 08:00-16:00, or `off`, found `We`", "We", "`Mo,We`"),
            ("0800-1600", "time `0800` must have a colon: 08:00", "0800", "HH:MM"),
            ("Mo-", "expected a weekday to end the range, found the end", "-", ""),
            ("Mo 08:00-12:00,", "expected a time such as 08:00, found the end", ",", ""),
            ("Mo-Fr: 08:00-16:00", "expected opening times such as 08:00-16:00, or `off`, found `:`", ":", ""),
        ];
        for (input, message, spanned, hint) in cases {
            let error = parse(input).expect_err(input);
            assert!(error.message.contains(message), "{input}: message {:?}", error.message);
            assert_eq!(&input[error.span.clone()], spanned, "{input}: span of {:?}", error.message);
            let got = error.hint.unwrap_or_default();
            assert!(got.contains(hint), "{input}: hint {got:?}");
        }
    }
}
