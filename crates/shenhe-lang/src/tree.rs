//! The parse tree the lowering reads: every pair pest produces (rule, start, end), in one
//! vector in pre-order, built either from pest's pairs or by the fast path (`fast.rs`).
//!
//! A node's end is where its last token ends: pest lets a rule ending in `x*` or `x?` swallow
//! the whitespace and comments after its last token, and no span should include them, so the
//! end is taken from the node's last child, recursively, once when the tree is built.

use pest::Token;
use pest::iterators::Pairs;

use crate::ast::Span;
use crate::parser::Rule;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NodeData {
    pub rule: Rule,
    pub start: u32,
    /// Where the last token of the node ends (see the module comment).
    pub end: u32,
    /// Index just past this node's subtree (its children are the nodes in between).
    pub next: u32,
}

/// A parse tree over `text`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Tree<'i> {
    pub text: &'i str,
    pub nodes: Vec<NodeData>,
}

/// One node of a [`Tree`].
#[derive(Clone, Copy)]
pub(crate) struct Node<'t, 'i> {
    tree: &'t Tree<'i>,
    idx: usize,
}

impl<'i> Tree<'i> {
    /// The tree of pest's pairs (`pairs` from parsing `text`).
    pub fn from_pairs(text: &'i str, pairs: Pairs<'i, Rule>) -> Self {
        let mut tree = Tree {
            text,
            nodes: Vec::new(),
        };
        // For each open node: its index and the end of its last child so far.
        let mut open: Vec<(usize, Option<u32>)> = Vec::new();
        for token in pairs.tokens() {
            match token {
                Token::Start { rule, pos } => {
                    open.push((tree.nodes.len(), None));
                    tree.nodes.push(NodeData {
                        rule,
                        start: to_u32(pos.pos()),
                        end: 0,
                        next: 0,
                    });
                }
                Token::End { pos, .. } => {
                    let Some((idx, last_child_end)) = open.pop() else {
                        continue;
                    };
                    let end = last_child_end.unwrap_or_else(|| to_u32(pos.pos()));
                    let next = to_u32(tree.nodes.len());
                    if let Some(n) = tree.nodes.get_mut(idx) {
                        n.end = end;
                        n.next = next;
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.1 = Some(end);
                    }
                }
            }
        }
        tree
    }

    /// The top-level nodes.
    pub fn roots(&self) -> Children<'_, 'i> {
        Children {
            tree: self,
            at: 0,
            end: self.nodes.len(),
        }
    }
}

/// An offset or index as stored in a node (saturating, like [`Span::new`]).
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'t, 'i> Node<'t, 'i> {
    fn data(&self) -> NodeData {
        self.tree.nodes.get(self.idx).copied().unwrap_or(NodeData {
            rule: Rule::EOI,
            start: 0,
            end: 0,
            next: 0,
        })
    }

    pub fn as_rule(&self) -> Rule {
        self.data().rule
    }

    /// Where the node starts.
    pub fn start(&self) -> usize {
        self.data().start as usize
    }

    /// Where its last token ends.
    pub fn end(&self) -> usize {
        self.data().end as usize
    }

    /// From its start to the end of its last token.
    pub fn span(&self) -> Span {
        let d = self.data();
        Span::new(d.start as usize, d.end as usize)
    }

    /// Its text (to the end of its last token).
    pub fn as_str(&self) -> &'i str {
        let d = self.data();
        self.tree
            .text
            .get(d.start as usize..d.end as usize)
            .unwrap_or("")
    }

    /// Its children, in order.
    pub fn into_inner(self) -> Children<'t, 'i> {
        Children {
            tree: self.tree,
            at: self.idx + 1,
            end: self.data().next as usize,
        }
    }
}

/// The children of a node (or the roots of a tree), in order.
#[derive(Clone)]
pub(crate) struct Children<'t, 'i> {
    tree: &'t Tree<'i>,
    at: usize,
    end: usize,
}

impl<'t, 'i> Iterator for Children<'t, 'i> {
    type Item = Node<'t, 'i>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.end {
            return None;
        }
        let node = Node {
            tree: self.tree,
            idx: self.at,
        };
        let next = node.data().next as usize;
        // `next` is always past the node; guard against a malformed tree anyway.
        self.at = next.max(self.at + 1);
        Some(node)
    }
}
