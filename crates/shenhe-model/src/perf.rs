use serde::{Deserialize, Serialize};

use crate::loc::Loc;
use crate::table::Table;

/// Which performance-target form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PerfKind {
    /// 部门（单位）整体支出绩效目标表
    Department,
    /// 项目支出绩效目标表
    Project,
}

/// A performance-target form: budget amounts, goals, indicators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformanceForm {
    pub kind: PerfKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// 部门（单位）名称 or 实施单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    /// 项目名称 (project forms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    /// The money block as a table: rows such as 年度资金总额, 当年财政拨款 (project forms) or
    /// 人员经费, 公用经费, 合计, 项目支出 | 当年财政拨款 … (department form, two-sided), with the
    /// unit the block's header states.
    pub budget: Table,
    /// 总体目标 lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<Goal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    pub loc: Loc,
}

/// One goal line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub text: String,
    pub loc: Loc,
}

/// One row of the indicator block (一级指标, 二级指标, 三级指标, 指标值).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub value: String,
    pub loc: Loc,
}
