// Package ui provides the Bubble Tea model for one visitor: header, section tabs, a scrollable
// body rendered from markdown, footer and help. It knows nothing of SSH: the server (or the
// local preview) builds one Model per visitor with New and runs it in its own tea.Program.
package ui
