//! Bilingual messages for diagnostics.

/// Formats the French or the English message, by the site's language:
/// `tr!(lang, "titre {x}", "title {x}")`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $fr:literal, $en:literal $(, $args:expr)* $(,)?) => {
        match $lang {
            $crate::lang::Lang::Fr => format!($fr $(, $args)*),
            $crate::lang::Lang::En => format!($en $(, $args)*),
        }
    };
}
