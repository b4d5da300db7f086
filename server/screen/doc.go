// Package screen runs successive Bubble Tea programs on one visitor's terminal: one program
// draws while the visitor reads and types; once the screen has been still for a while the
// program is put to sleep (killed, its output discarded, its model kept), and the next key,
// mouse event, paste or resize wakes a new program with that model on the same screen.
// With Config.Frames a screen starts asleep: its first frame is painted without a program
// (server/firstframe) and the terminal's replies to the start-up queries are taken from the
// decoded input without waking one (server/termreply), so a visitor who never acts never costs a program
// (lazy.go); ending such a screen needs no program either: it gives the terminal back itself.
//
// It owns the parts that make that invisible to the visitor: the input (read by the screen
// for the whole visit, decoded by a decoder it lets go while it sleeps, and handed to the
// program drawing with Program.Send, so every key reaches
// exactly one program, in order, the key that wakes a sleeping screen and one typed as a
// program is put to sleep included: input.go), the window size carried across programs and
// fitted once (Config.Fit), and the panic watch (a panic in the model ends the
// screen cleanly and is reported with its stack instead of on the process's stderr).
//
// It knows nothing of SSH or of the server: a Config gives it a reader, a writer, a size,
// the program options and a per-program filter, so it runs as well on an io.Pipe as on an
// SSH channel. The goroutines it starts are waited for: Run waits for the ones that hand
// programs their quit message, Wait for the reader, its decoder and the dispatcher, which
// end with the input. (A sleep timer's callback that fires
// as its program ends finds the program gone and returns.)
package screen
