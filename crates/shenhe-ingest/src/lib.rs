//! Reading disclosures into the [`shenhe_model::Document`] model.
