package screen

import (
	"context"
	"io"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	tea "charm.land/bubbletea/v2"
)

// typist keeps the keys it is given, in order, and pastes in brackets; q quits.
type typist struct{ typed string }

func (m typist) Init() tea.Cmd { return nil }
func (m typist) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
		m.typed += msg.String()
	case tea.PasteMsg:
		m.typed += "[" + msg.Content + "]"
	}
	return m, nil
}
func (m typist) View() tea.View {
	v := tea.NewView("typed " + m.typed)
	v.AltScreen = true
	return v
}

// A key typed at the very moment the screen decides to sleep (the test types it from inside
// that decision, once the visitor's idle clock has been read) reaches the next program, in
// order: ten times over, no key is lost. Before the session decoded its input itself, a key the
// dying program's reader had taken went down with it.
func TestKeysTypedAsTheScreenFallsAsleepReachTheNextProgram(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { // the sleep delay on the fake clock
		const letters = "abcdefghij"
		in, keys := io.Pipe()
		var (
			mu         sync.Mutex
			next       int
			lastTyped  time.Time
			sleepAfter = 200 * time.Millisecond
		)
		tm := &terminal{keys: keys, result: make(chan Result, 1)}
		tm.sc = New(Config{
			In:         in,
			Out:        tm,
			Width:      80,
			Height:     24,
			SleepAfter: sleepAfter,
			Options:    []tea.ProgramOption{tea.WithoutSignalHandler()},
			IdleFor: func(now time.Time) time.Duration {
				mu.Lock()
				defer mu.Unlock()
				idle := now.Sub(lastTyped)
				// Called under the screen's lock as it decides: will it sleep now?
				quiet := idle >= sleepAfter && now.Sub(tm.sc.lastEvent) >= sleepAfter && tm.sc.out.quietFor(now) >= sleepAfter
				if quiet && next < len(letters) {
					// The clock has been read: the key comes just too late to keep the screen
					// awake. The write returns once the screen's input has read it.
					if _, err := keys.Write([]byte{letters[next]}); err != nil {
						t.Error(err)
					}
					lastTyped = time.Now()
					next++
				}
				return idle
			},
		}, typist{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() { tm.result <- tm.sc.Run(ctx) }()

		tm.waitScreen(t, 80, 24, "typed "+letters)
		mu.Lock()
		lastTyped = time.Now() // the idle clock counts every key, as the session's does
		mu.Unlock()
		tm.press(t, "q")
		r := tm.wait(t)
		if m, ok := r.Model.(typist); !ok || m.typed != letters {
			t.Fatalf("final model %#v, want every key typed as the screen fell asleep: %q", r.Model, letters)
		}
		if r.Sleeps < len(letters) {
			t.Errorf("slept %d times, want at least %d", r.Sleeps, len(letters))
		}
		_ = keys.Close()
		tm.sc.Wait()
	})
}
