//! Closed vocabularies of the content kinds. Each term has a stable code written in front
//! matter (`category = "ops"`); its label in every language is the UI string `<vocabulary>-<code>`
//! in the theme's Fluent files (`category-ops = Ośrodek pomocy społecznej`), checked at build.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub(crate) enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every term, in the order of the vocabulary.
            pub(crate) const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The prefix of the terms' UI strings.
            pub(crate) const PREFIX: &'static str = $prefix;

            /// The code written in front matter.
            pub(crate) fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The key of the term's label in the Fluent files.
            pub(crate) fn label_key(self) -> String {
                format!("{}-{}", $prefix, self.code())
            }

            /// The term of a code, for codes written inside text (`{{fact:...}}`).
            #[allow(dead_code, reason = "made for every vocabulary; only some look codes up")]
            pub(crate) fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Every code, for hints and JSON Schema enums.
            pub(crate) fn codes() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.code()).collect()
            }
        }
    };
}

vocabulary!(
    /// What kind of place a service is.
    Category, "category", {
        /// Ośrodek pomocy społecznej (MOPS, GOPS, MGOPS).
        SocialAssistance = "ops",
        /// A branch (filia) of a social-assistance centre.
        SocialAssistanceBranch = "ops-branch",
        FamilySupport = "family-support",
        /// Żłobek or klub dziecięcy.
        Nursery = "nursery",
        SeniorClub = "senior-club",
        SeniorDayCare = "senior-day-care",
        /// Placówka wsparcia dziennego dla dzieci.
        DaySupport = "day-support",
        RespiteCare = "respite-care",
        Health = "health",
        Housing = "housing",
        MigrantInformation = "migrant-information",
        LegalAid = "legal-aid",
        SocialEconomy = "social-economy",
        PublicOffice = "public-office",
        /// Ośrodek or punkt interwencji kryzysowej, support for victims of violence.
        CrisisIntervention = "crisis-intervention",
        /// Środowiskowy dom samopomocy (day support for adults with mental disorders).
        SelfHelpHome = "self-help-home",
        /// A food bank or food aid point.
        FoodAid = "food-aid",
    }
);

vocabulary!(
    /// The facts of a service that a source backs, that may be missing, or that are to be
    /// confirmed (`unconfirmed = ["address"]`).
    ServiceFact, "service-fact", {
        Name = "name",
        Operator = "operator",
        Address = "address",
        Phone = "phone",
        Email = "email",
        Website = "website",
        Hours = "hours",
        Coordinates = "coordinates",
        /// The districts (dzielnice) a branch serves.
        Districts = "districts",
    }
);

vocabulary!(
    /// The four components of the integrated plan 4US (adopted as assumptions in May 2023).
    StrategicArea, "area", {
        /// 1. Quality and accessibility of social, care and health services, with prevention.
        Services = "services",
        /// 2. Care for children under 3.
        Childcare = "childcare",
        /// 3. A coherent migration policy.
        Migration = "migration",
        /// 4. Housing and revitalisation.
        Housing = "housing",
    }
);

vocabulary!(
    /// Who a service is for.
    Audience, "audience", {
        Everyone = "everyone",
        Children = "children",
        Youth = "youth",
        Families = "families",
        Seniors = "seniors",
        PeopleWithDisabilities = "people-with-disabilities",
        Carers = "carers",
        Migrants = "migrants",
        PeopleInCrisis = "people-in-crisis",
    }
);

vocabulary!(
    /// Languages a service is offered in (ISO 639 codes; `pso` is Polish Sign Language).
    ServiceLanguage, "language", {
        Polish = "pl",
        English = "en",
        Ukrainian = "uk",
        Russian = "ru",
        German = "de",
        French = "fr",
        Belarusian = "be",
        Georgian = "ka",
        PolishSignLanguage = "pso",
    }
);

vocabulary!(
    /// Municipality type (gmina miejska, miejsko-wiejska, wiejska).
    MunicipalityType, "municipality-type", {
        Urban = "urban",
        UrbanRural = "urban-rural",
        Rural = "rural",
    }
);

vocabulary!(
    /// Wheelchair access, as OpenStreetMap's `wheelchair` key.
    Wheelchair, "wheelchair", {
        Yes = "yes",
        Limited = "limited",
        No = "no",
    }
);

vocabulary!(
    /// The local facts a migrant guide can show for each municipality.
    LocalFact, "fact", {
        /// The municipality's social-assistance centre.
        Ops = "ops",
        /// The nearest information point for migrants.
        MigrantPoint = "migrant-point",
        /// Where residence is legalised (the voivodeship office's department for foreigners).
        LegalisationOffice = "legalisation-office",
        /// The municipal office (urząd gminy), e.g. for PESEL and registration.
        MunicipalOffice = "municipal-office",
        /// A nursery or children's club.
        Nursery = "nursery",
    }
);

vocabulary!(
    /// Which forum a meeting belongs to.
    ForumName, "forum", {
        /// Forum Usług Społecznych (Social Services Forum).
        SocialServices = "social-services-forum",
        /// Forum Metropolii Krakowskiej (the Kraków Metropolis Forum).
        Metropolis = "metropolis-forum",
        /// Walne Zebranie Członków (the association's general meeting).
        GeneralMeeting = "general-meeting",
    }
);

vocabulary!(
    /// Compliance status in an accessibility statement.
    ComplianceStatus, "compliance", {
        Full = "full",
        Partial = "partial",
        None = "none",
    }
);

impl ServiceFact {
    /// The contact facts whose absence the generator reports (from the fields left out).
    pub(crate) const CONTACT: &'static [ServiceFact] =
        &[ServiceFact::Address, ServiceFact::Phone, ServiceFact::Email, ServiceFact::Website, ServiceFact::Hours];
}

/// Every vocabulary's UI-string keys, for the check that the theme labels them all.
#[cfg(test)]
pub(crate) fn all_label_keys() -> Vec<String> {
    let mut keys = Vec::new();
    keys.extend(Category::ALL.iter().map(|v| v.label_key()));
    keys.extend(StrategicArea::ALL.iter().map(|v| v.label_key()));
    keys.extend(Audience::ALL.iter().map(|v| v.label_key()));
    keys.extend(ServiceLanguage::ALL.iter().map(|v| v.label_key()));
    keys.extend(MunicipalityType::ALL.iter().map(|v| v.label_key()));
    keys.extend(Wheelchair::ALL.iter().map(|v| v.label_key()));
    keys.extend(LocalFact::ALL.iter().map(|v| v.label_key()));
    keys.extend(ForumName::ALL.iter().map(|v| v.label_key()));
    keys.extend(ComplianceStatus::ALL.iter().map(|v| v.label_key()));
    keys.extend(ServiceFact::ALL.iter().map(|v| v.label_key()));
    keys.extend(ServiceFact::CONTACT.iter().map(|v| format!("missing-{}", v.code())));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(*c));
        }
        assert_eq!(Category::SocialAssistance.label_key(), "category-ops");
        assert_eq!(LocalFact::MigrantPoint.code(), "migrant-point");
        assert!(all_label_keys().contains(&"area-migration".to_string()));
    }
}
