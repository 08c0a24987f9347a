//! A figure's repetitions: median with min–max.

/// The median and range of one figure's repetitions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Stat {
    /// `None` for no samples.
    pub fn of(samples: &[f64]) -> Option<Stat> {
        let mut sorted: Vec<f64> = samples.iter().copied().filter(|s| s.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        // The middle sample, or the mean of the two middle ones.
        let n = sorted.len();
        let median = (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0;
        Some(Stat {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
        })
    }

    /// The stat a bench program summarised itself as `key=median key_min=… key_max=…`.
    pub fn from_fields(fields: &crate::bench::Fields, key: &str) -> Result<Stat, String> {
        let number = |k: &str| crate::bench::number(fields, k);
        Ok(Stat {
            median: number(key)?,
            min: number(&format!("{key}_min"))?,
            max: number(&format!("{key}_max"))?,
        })
    }

    /// `12.3 (11.9–13.0)` with `decimals` digits.
    pub fn text(&self, decimals: usize) -> String {
        format!(
            "{:.d$} ({:.d$}–{:.d$})",
            self.median,
            self.min,
            self.max,
            d = decimals
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_range_of_odd_and_even_counts() {
        let s = Stat::of(&[3.0, 1.0, 2.0, 10.0, 4.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (3.0, 1.0, 10.0));
        assert_eq!(Stat::of(&[1.0, 4.0]).unwrap().median, 2.5);
        assert_eq!(Stat::of(&[]), None);
        assert_eq!(Stat::of(&[1.0, 2.0, 3.0]).unwrap().text(1), "2.0 (1.0–3.0)");
    }

    #[test]
    fn a_summarised_stat_needs_its_median_and_range() {
        let fields: crate::bench::Fields = [("r", "1.5"), ("r_min", "1.0"), ("r_max", "2.0")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let s = Stat::from_fields(&fields, "r").unwrap();
        assert_eq!((s.median, s.min, s.max), (1.5, 1.0, 2.0));
        let error = Stat::from_fields(&fields, "q").unwrap_err();
        assert!(error.contains('q'), "{error}");
    }
}
