// Package config provides the server's settings table: one row per setting (Settings), from
// which the flags, the PORTFOLIO_* environment variables, the defaults' text, --help
// (WriteHelp), every validation message and the README's settings table are all derived.
//
// Load reads flags and variables into a server.Config (a flag beats its variable, which
// beats server.Defaults), checks each value against its row's range and the rules between
// settings, and names in every message the flag or the variable the value came from:
// `--frame-rate 200: must be from 10 to 120`. A PORTFOLIO_* variable that names no setting is
// returned as Unknown with the nearest name, for the caller to warn about.
//
// Imports point one way: cmd/portfolio -> config -> server. The server takes a Config that
// this package has validated; its tests may use values outside the operator's ranges.
//
// # Adding a setting
//
//  1. Add the field to server.Config and its default to server.Defaults.
//
//  2. Add one row to Settings, with a value kind that gives its range:
//
//     {Env: "PORTFOLIO_MEMORY_BUDGET", Unset: "no budget", Usage: "memory all sessions together may use",
//     Value: func(c *server.Config) Value { return BytesOrOff(&c.MemoryBudget, "no budget", 64<<20, 1<<40) }},
//
//     The kinds: Duration, DurationOrOff, Int, IntOrAuto, Bool, Text, OneOf, ListenAddr, Rate,
//     Window, Bytes, BytesOrOff, ByteRate, Prefixes (parsed once, kept parsed). A rule between
//     two settings goes in crossChecks.
//
//  3. Run `go test ./config -update` to rewrite the README's table, and add a case to
//     TestLoad for the range's edge.
package config
