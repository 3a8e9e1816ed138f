//! Slugs: turns titles, file names and headings into URL-safe ASCII. Ukrainian goes through the
//! official national transliteration (Cabinet of Ministers of Ukraine resolution No. 55 of
//! 27 January 2010: Київ → kyiv, Харків → kharkiv, Згорани → zghorany); everything else, Polish
//! included, through deunicode (Łódź → lodz).

/// A URL slug of `text` in language `lang`: lower-case ASCII letters, digits and single hyphens.
pub(crate) fn slugify(text: &str, lang: &str) -> String {
    let latin = if lang == "uk" { ukrainian_to_latin(text) } else { text.to_string() };
    let ascii = deunicode::deunicode(&latin);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else if c == '\'' {
            // An apostrophe inside a word (Ukrainian м'ясо, English don't) does not split it.
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// Transliterates Ukrainian Cyrillic to Latin by the 2010 national system. Letters outside the
/// Ukrainian alphabet are left for deunicode.
pub(crate) fn ukrainian_to_latin(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let upper = c.is_uppercase();
        // Є, Ї, Й, Ю, Я are written differently at the start of a word.
        let word_start = i == 0 || !is_word_char(chars[i - 1]);
        let latin: &str = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            // "зг" is written zgh so that it is not read as the digraph "zh".
            'г' if i > 0 && matches!(chars[i - 1], 'з' | 'З') => "gh",
            'г' => "h",
            'ґ' => "g",
            'д' => "d",
            'е' => "e",
            'є' if word_start => "ye",
            'є' => "ie",
            'ж' => "zh",
            'з' => "z",
            'и' => "y",
            'і' => "i",
            'ї' if word_start => "yi",
            'ї' => "i",
            'й' if word_start => "y",
            'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ю' if word_start => "yu",
            'ю' => "iu",
            'я' if word_start => "ya",
            'я' => "ia",
            // The soft sign and the apostrophe are not transliterated.
            'ь' | '\'' | '’' | 'ʼ' => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        if upper {
            let mut cs = latin.chars();
            if let Some(first) = cs.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(latin);
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | 'ʼ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_ukrainian_examples() {
        // Examples from the table of the 2010 resolution.
        for (uk, latin) in [
            ("Київ", "kyiv"),
            ("Харків", "kharkiv"),
            ("Згорани", "zghorany"),
            ("Розгон", "rozghon"),
            ("Єнакієве", "yenakiieve"),
            ("Гайсин", "haisyn"),
            ("Їжакевич", "yizhakevych"),
            ("Кадиївка", "kadyivka"),
            ("Йосипівка", "yosypivka"),
            ("Стрий", "stryi"),
            ("Юрій", "yurii"),
            ("Костюк", "kostiuk"),
            ("Яготин", "yahotyn"),
            ("Ічня", "ichnia"),
            ("Щербухи", "shcherbukhy"),
            ("Гоща", "hoshcha"),
            ("Знам'янка", "znamianka"),
            ("Ґалаґан", "galagan"),
            ("Чернігів", "chernihiv"),
            ("Жашків", "zhashkiv"),
            ("Рівне", "rivne"),
        ] {
            assert_eq!(slugify(uk, "uk"), latin, "{uk}");
        }
    }

    #[test]
    fn polish_and_phrases() {
        assert_eq!(slugify("Łódź – Urząd Miasta", "pl"), "lodz-urzad-miasta");
        assert_eq!(slugify("Świątniki Górne", "pl"), "swiatniki-gorne");
        assert_eq!(slugify("  Pomoc   społeczna!! ", "pl"), "pomoc-spoleczna");
        assert_eq!(slugify("Соціальна допомога у вашій гміні", "uk"), "sotsialna-dopomoha-u-vashii-hmini");
        assert_eq!(slugify("Don't panic", "en"), "dont-panic");
    }

    #[test]
    fn slug_is_idempotent() {
        for s in ["Київ", "Łódź", "a--b", "PESEL i meldunek", "Ґанок"] {
            let once = slugify(s, "uk");
            assert_eq!(slugify(&once, "uk"), once);
        }
    }
}
