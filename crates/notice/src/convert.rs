//! Traditional → simplified Chinese with OpenCC's `t2s` configuration.
//!
//! Two backends behind [`ToSimplified`]: [`FerrousOpenCC`] (pure Rust,
//! dictionaries built in; the default, so a fresh machine needs nothing
//! installed) and, with the `opencc-cpp` feature, [`CppOpenCC`], the binding
//! to the system OpenCC 1.1 library. Conversion maps characters and phrases
//! only; line breaks are kept, so line numbers stay valid.

/// The conversion could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("OpenCC ({backend}) could not load t2s: {message}")]
pub struct ConvertError {
    pub backend: &'static str,
    pub message: String,
}

/// A traditional → simplified converter.
pub trait ToSimplified {
    /// Backend name, for messages.
    fn name(&self) -> &'static str;
    fn convert(&self, text: &str) -> String;
}

/// ferrous-opencc, pure Rust.
pub struct FerrousOpenCC(ferrous_opencc::OpenCC);

impl FerrousOpenCC {
    pub fn new() -> Result<FerrousOpenCC, ConvertError> {
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)
            .map(FerrousOpenCC)
            .map_err(|e| ConvertError {
                backend: "ferrous-opencc",
                message: e.to_string(),
            })
    }
}

impl ToSimplified for FerrousOpenCC {
    fn name(&self) -> &'static str {
        "ferrous-opencc"
    }

    fn convert(&self, text: &str) -> String {
        self.0.convert(text)
    }
}

/// opencc-rust 1.1, binding the system OpenCC 1.1 C++ library.
#[cfg(feature = "opencc-cpp")]
pub struct CppOpenCC(opencc_rust::OpenCC);

#[cfg(feature = "opencc-cpp")]
impl CppOpenCC {
    pub fn new() -> Result<CppOpenCC, ConvertError> {
        opencc_rust::OpenCC::new(opencc_rust::DefaultConfig::T2S)
            .map(CppOpenCC)
            .map_err(|e| ConvertError {
                backend: "opencc-rust",
                message: e.to_string(),
            })
    }
}

#[cfg(feature = "opencc-cpp")]
impl ToSimplified for CppOpenCC {
    fn name(&self) -> &'static str {
        "opencc-rust (system OpenCC)"
    }

    fn convert(&self, text: &str) -> String {
        self.0.convert(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_keeps_lines() {
        let c = FerrousOpenCC::new().unwrap();
        let out = c.convert("類目調整\n    非個人主體\n#【醫療服務-藥品資訊】");
        assert_eq!(out, "类目调整\n    非个人主体\n#【医疗服务-药品资讯】");
    }
}
