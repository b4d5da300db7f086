package screen

import (
	"testing"
	"testing/synctest"
	"time"

	"portfolio/server/firstframe"
)

// decoder returns the screen's decoder now: nil when it has none.
func (tm *terminal) decoder() *decoder {
	tm.sc.mu.Lock()
	defer tm.sc.mu.Unlock()
	return tm.sc.dec
}

// ended reports whether d's goroutines have returned.
func (d *decoder) ended() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// A screen painted asleep whose terminal answers its queries decodes the answers, then lets
// the decoder (and its key table) go while it sleeps on; the next key makes a new one and
// reaches the model.
func TestSleepingScreenLetsItsDecoderGo(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		tm := runReader(t, firstframe.NewCache(0))
		tm.waitShown(t, 100, 30, "keys 0")
		tm.press(t, "\x1b[?62;22c") // device attributes: an answer no model acts on
		synctest.Wait()
		d := tm.decoder()
		if d == nil {
			t.Fatal("no decoder for the terminal's answer")
		}
		advance(releaseAfter) // the fake clock
		synctest.Wait()
		if tm.decoder() != nil || !d.ended() {
			t.Fatalf("a sleeping screen still decodes %s after its input went quiet", releaseAfter)
		}
		if n := tm.programs(); n != 0 {
			t.Fatalf("the terminal's answer started %d programs", n)
		}
		tm.press(t, "j")
		tm.waitShown(t, 100, 30, "keys 1")
		return tm
	})
}

// A screen put to sleep lets its decoder go once its input is quiet, but not while a paste is
// open (the decoder holds the text pasted so far): every key and the whole paste reach the
// programs, in order.
func TestDecoderLetGoAsleepKeepsKeysAndPastes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { // the sleep delay and releaseAfter on the fake clock
		tm := runModel(t, 200*time.Millisecond, typist{})
		tm.press(t, "a")
		tm.waitScreen(t, 100, 30, "typed a")
		tm.waitAsleep(t, 1)
		advance(releaseAfter)
		synctest.Wait()
		if tm.decoder() != nil {
			t.Fatal("the sleeping screen kept its decoder")
		}
		tm.press(t, "b")
		tm.waitScreen(t, 100, 30, "typed ab")

		tm.press(t, "\x1b[200~pas") // a paste cut short: its end comes after a sleep
		tm.waitAsleep(t, 2)
		advance(2 * releaseAfter)
		synctest.Wait()
		if tm.decoder() == nil {
			t.Fatal("the screen let its decoder go in the middle of a paste")
		}
		tm.press(t, "te\x1b[201~c")
		tm.waitScreen(t, 100, 30, "typed ab[paste]c")
		tm.press(t, "q")
		if m, ok := tm.wait(t).Model.(typist); !ok || m.typed != "ab[paste]c" {
			t.Errorf("final model %#v, want every key and the paste in order", tm.wait(t).Model)
		}
		tm.end()
	})
}
