//! The shenhe evaluator.
