// Package config provides the server's settings table: one row per setting (Settings), from
// which the flags, the PORTFOLIO_* environment variables, the defaults' text, --help
// (WriteHelp), every validation message and the README's settings table are all derived.
//
// Load reads flags and variables into a server.Config (a flag beats its variable, which
// beats server.Defaults), checks each value against its row's range and the rules between
// settings, and names in every message the flag or the variable the value came from:
// `--max-sessions 0: must be from 1 to 100000`. A PORTFOLIO_* variable that names no setting is
// returned as Unknown with the nearest name, for the caller to warn about.
//
// Imports point one way: cmd/portfolio -> config -> server. The server takes a Config that
// this package has validated; its tests may use values outside the operator's ranges.
//
// # Adding a setting
//
// First ask whether an operator would ever change it. A limit no operator would change is
// not a setting: it is a constant, with its reason beside it, in the package that enforces
// it (server/guard's limits.go, for instance), and the README's Hardening table names it.
//
// A setting touches two places:
//
//  1. server.Config: the field, with its default in server.Defaults. Zero means one thing,
//     said in the field's comment.
//
//  2. Settings: one row, with a value kind that gives its range:
//
//     {Env: "PORTFOLIO_MEMORY_BUDGET", Unset: "no budget", Usage: "memory all sessions together may use",
//     Value: func(c *server.Config) Value { return BytesOrOff(&c.MemoryBudget, "no budget", 64<<20, 1<<40) }},
//
//     The kinds: Duration, Int, IntOrAuto, Bool, Text (with a check), OneOf, ListenAddr,
//     Rate, BytesOrOff, Prefixes (parsed once, kept parsed). A rule between two settings
//     goes in crossChecks.
//
// Then `go test ./config -update` rewrites the README's settings table (generated, not a
// third place to edit), and TestLoad gets a case for the range's edge.
package config
