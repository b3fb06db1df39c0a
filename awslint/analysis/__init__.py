"""Analyses the rule families share: one walk of the tree, name resolution, control and data flow."""
