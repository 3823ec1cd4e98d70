//! Shaping a YAML tree into typed values, one field at a time, with a
//! diagnostic for each field of the wrong kind and each unknown key.

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::{Contact, Located};
use crate::tr;
use crate::yaml::{Node, Value};

/// Where shaped values come from and where findings go.
pub struct Ctx<'a> {
    /// The file, relative to the site folder.
    pub file: &'a str,
    pub lang: Lang,
    pub diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    pub fn error(&mut self, code: &'static str, node: &Node, message: String, hint: String) {
        self.diags.push(Diagnostic::error(code, message).file(self.file).span(node.span).hint(hint));
    }

    pub fn warning(&mut self, code: &'static str, node: &Node, message: String, hint: String) {
        self.diags.push(Diagnostic::warning(code, message).file(self.file).span(node.span).hint(hint));
    }

    fn wrong_type(&mut self, key: &str, node: &Node, expected_fr: &str, expected_en: &str) {
        let lang = self.lang;
        let found = node.kind(lang);
        self.error(
            "wrong-type",
            node,
            tr!(lang, "« {key} » doit être {expected_fr}, pas {found}", "“{key}” must be {expected_en}, not {found}"),
            tr!(
                lang,
                "corrigez la valeur de « {key} » (voir l'exemple de fiche dans le README)",
                "fix the value of “{key}” (see the sidecar example in the README)"
            ),
        );
    }

    /// The entries of a mapping; an error (and `None`) for anything else.
    pub fn mapping<'n>(&mut self, key: &str, node: &'n Node) -> Option<&'n [(Node, Node)]> {
        match &node.value {
            Value::Map(entries) => Some(entries),
            Value::Null => None,
            _ => {
                self.wrong_type(
                    key,
                    node,
                    "un ensemble de clés (« clé: valeur » sur des lignes indentées)",
                    "a mapping (indented “key: value” lines)",
                );
                None
            }
        }
    }

    /// A text value (numbers and booleans are taken as written). Empty text
    /// and null are `None`.
    pub fn text(&mut self, key: &str, node: &Node) -> Option<Located<String>> {
        match &node.value {
            Value::Null => None,
            Value::Seq(_) | Value::Map(_) => {
                self.wrong_type(key, node, "un texte", "a text");
                None
            }
            _ => {
                let text = node.scalar_text()?.trim().to_string();
                (!text.is_empty()).then(|| Located::new(text, node.span))
            }
        }
    }

    /// A list of texts. A single text is accepted too, split on commas
    /// (`keywords: budget, finances`).
    pub fn text_list(&mut self, key: &str, node: &Node) -> Vec<Located<String>> {
        match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items
                .iter()
                .filter_map(|item| match &item.value {
                    Value::Seq(_) | Value::Map(_) => {
                        self.wrong_type(key, item, "une liste de textes", "a list of texts");
                        None
                    }
                    _ => self.text(key, item),
                })
                .collect(),
            Value::Map(_) => {
                self.wrong_type(key, node, "une liste de textes", "a list of texts");
                Vec::new()
            }
            _ => {
                let text = node.scalar_text().unwrap_or_default();
                text.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Located::new(s.to_string(), node.span))
                    .collect()
            }
        }
    }

    /// An integer.
    pub fn integer(&mut self, key: &str, node: &Node) -> Option<i64> {
        match &node.value {
            Value::Null => None,
            Value::Int(i) => Some(*i),
            _ => {
                self.wrong_type(key, node, "un nombre entier", "a whole number");
                None
            }
        }
    }

    /// `contact: {name, email}`; a lone text is taken as an e-mail address
    /// when it has an `@`, else as a name.
    pub fn contact(&mut self, key: &str, node: &Node) -> Option<Contact> {
        if let Value::Str(s) = &node.value {
            let s = s.trim().to_string();
            return Some(if s.contains('@') {
                Contact { name: None, email: Some(Located::new(s, node.span)) }
            } else {
                Contact { name: Some(s), email: None }
            });
        }
        let entries = self.mapping(key, node)?;
        let mut contact = Contact::default();
        for (k, v) in entries {
            match k.scalar_text().as_deref() {
                Some("name") => contact.name = self.text("name", v).map(|l| l.value),
                Some("email") => contact.email = self.text("email", v),
                _ => self.unknown_key(k, &["name", "email"]),
            }
        }
        Some(contact)
    }

    /// A warning for a key this part of the file does not know, with the
    /// nearest known key as the hint.
    pub fn unknown_key(&mut self, key: &Node, known: &[&str]) {
        let lang = self.lang;
        let name = key.scalar_text().unwrap_or_default();
        let hint = match crate::util::nearest(&name, known.iter().copied()) {
            Some(near) => tr!(lang, "vouliez-vous dire « {near} » ?", "did you mean “{near}”?"),
            None => tr!(
                lang,
                "clés reconnues ici : {}; cette clé est ignorée",
                "keys known here: {}; this key is ignored",
                known.join(", ")
            ),
        };
        self.warning("unknown-key", key, tr!(lang, "clé « {name} » inconnue", "unknown key “{name}”"), hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn shapes_and_reports_each_bad_field() {
        let node = parse("a: [1, 2]\nb: x, y ,z\nc: {k: v}\nd: 12\n").unwrap();
        let mut diags = Diagnostics::default();
        let mut ctx = Ctx { file: "f.yaml", lang: Lang::En, diags: &mut diags };
        assert!(ctx.text("a", node.get("a").unwrap()).is_none());
        let list: Vec<_> = ctx.text_list("b", node.get("b").unwrap()).into_iter().map(|l| l.value).collect();
        assert_eq!(list, ["x", "y", "z"]);
        assert!(ctx.text_list("c", node.get("c").unwrap()).is_empty());
        assert_eq!(ctx.text("d", node.get("d").unwrap()).unwrap().value, "12");
        assert_eq!(diags.errors(), 2);
        let first = &diags.diagnostics[0];
        assert_eq!((first.code, first.line, first.column), ("wrong-type", Some(1), Some(4)));
    }

    #[test]
    fn contact_forms() {
        let node = parse("a: mairie@example.fr\nb: {name: Mairie, mail: x}\n").unwrap();
        let mut diags = Diagnostics::default();
        let mut ctx = Ctx { file: "f.yaml", lang: Lang::Fr, diags: &mut diags };
        let a = ctx.contact("a", node.get("a").unwrap()).unwrap();
        assert_eq!(a.email.unwrap().value, "mairie@example.fr");
        let b = ctx.contact("b", node.get("b").unwrap()).unwrap();
        assert_eq!(b.name.as_deref(), Some("Mairie"));
        assert_eq!(diags.warnings(), 1);
        assert_eq!(diags.diagnostics[0].hint.as_deref(), Some("vouliez-vous dire « email » ?"));
    }
}
