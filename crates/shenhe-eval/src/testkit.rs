//! Small documents for unit tests: numbered tables of label and amount columns.

use rust_decimal::Decimal;
use shenhe_model::{Cell, CellValue, Column, ColumnKind, Row, RowKind, Table, TableNumber};

/// A column with this header path.
pub fn column(path: &[&str], kind: ColumnKind) -> Column {
    Column {
        path: path.iter().map(|p| (*p).to_string()).collect(),
        kind,
        ..Column::default()
    }
}

/// A row whose cells hold the given amounts (in hundredths) in columns 1, 2, … in order.
pub fn row(label: &str, kind: RowKind, cents: &[i64]) -> Row {
    Row {
        label: label.into(),
        kind,
        cells: (1usize..)
            .zip(cents)
            .map(|(column, v)| Cell {
                column,
                value: CellValue::Number(Decimal::new(*v, 2)),
                ..Cell::default()
            })
            .collect(),
        ..Row::default()
    }
}

/// A table printed as `printed` (`表三`), numbered `ordinal`.
pub fn table(
    printed: &str,
    ordinal: u32,
    title: &str,
    columns: Vec<Column>,
    rows: Vec<Row>,
) -> Table {
    Table {
        number: Some(TableNumber {
            printed: printed.into(),
            ordinal,
        }),
        title: title.into(),
        columns,
        rows,
        ..Table::default()
    }
}

/// `count` texts of up to `max_len - 1` chars drawn from `alphabet` (xorshift64 from `seed`:
/// the same texts every run), for tests that compare two ways of reading text.
pub fn random_texts(seed: u64, count: usize, max_len: u64, alphabet: &str) -> Vec<String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut seed = seed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..count)
        .map(|_| {
            let len = next() % max_len;
            (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect()
        })
        .collect()
}
