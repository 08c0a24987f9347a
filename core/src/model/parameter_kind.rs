//! The kinds of build parameter Jenkins and KubeSphere name, and their names.

/// The kind of a parameter, from Jenkins' class name or KubeSphere's simplified type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterKind {
    String,
    Text,
    Boolean,
    Choice,
    Password,
    File,
    /// Any other parameter type (run, credentials, plugin types).
    Other,
}

impl ParameterKind {
    /// `StringParameterDefinition`, `hudson.model.StringParameterDefinition`, `string`, …
    pub fn of(type_name: &str) -> ParameterKind {
        let short = type_name.rsplit('.').next().unwrap_or(type_name);
        let short = short.strip_suffix("ParameterDefinition").unwrap_or(short);
        match short.to_ascii_lowercase().as_str() {
            "string" => ParameterKind::String,
            "text" => ParameterKind::Text,
            "boolean" | "booleanparam" => ParameterKind::Boolean,
            "choice" => ParameterKind::Choice,
            "password" => ParameterKind::Password,
            "file" => ParameterKind::File,
            _ => ParameterKind::Other,
        }
    }

    /// The simplified type ks-devops writes into a pipeline's synced metadata (`string`,
    /// `text`, `boolean`, `choice`, `password`, `file`); `None` for [`ParameterKind::Other`],
    /// whose type ks-devops leaves as Jenkins gives it.
    pub fn simplified(self) -> Option<&'static str> {
        Some(match self {
            ParameterKind::String => "string",
            ParameterKind::Text => "text",
            ParameterKind::Boolean => "boolean",
            ParameterKind::Choice => "choice",
            ParameterKind::Password => "password",
            ParameterKind::File => "file",
            ParameterKind::Other => return None,
        })
    }

    /// Jenkins' type name (`StringParameterDefinition`, the short name of its class in
    /// `hudson.model`); `None` for [`ParameterKind::Other`].
    pub fn jenkins_type(self) -> Option<&'static str> {
        Some(match self {
            ParameterKind::String => "StringParameterDefinition",
            ParameterKind::Text => "TextParameterDefinition",
            ParameterKind::Boolean => "BooleanParameterDefinition",
            ParameterKind::Choice => "ChoiceParameterDefinition",
            ParameterKind::Password => "PasswordParameterDefinition",
            ParameterKind::File => "FileParameterDefinition",
            ParameterKind::Other => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_type_names_one_kind() {
        for name in [
            "string",
            "StringParameterDefinition",
            "hudson.model.StringParameterDefinition",
        ] {
            assert_eq!(ParameterKind::of(name), ParameterKind::String, "{name}");
        }
        assert_eq!(ParameterKind::of("booleanParam"), ParameterKind::Boolean);
        assert_eq!(
            ParameterKind::of("hudson.model.RunParameterDefinition"),
            ParameterKind::Other
        );
    }

    #[test]
    fn known_kinds_round_trip_through_their_names() {
        for kind in [
            ParameterKind::String,
            ParameterKind::Text,
            ParameterKind::Boolean,
            ParameterKind::Choice,
            ParameterKind::Password,
            ParameterKind::File,
        ] {
            assert_eq!(ParameterKind::of(kind.simplified().unwrap()), kind);
            assert_eq!(ParameterKind::of(kind.jenkins_type().unwrap()), kind);
        }
        assert_eq!(ParameterKind::Other.simplified(), None);
        assert_eq!(ParameterKind::Other.jenkins_type(), None);
    }
}
