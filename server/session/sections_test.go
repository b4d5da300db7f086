package session

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"charm.land/log/v2"
)

// TestSectionsInTextAndJSON: the same value is a list of objects in JSON (what portfolio
// stats reads) and a compact slug:ms list in text logs.
func TestSectionsInTextAndJSON(t *testing.T) {
	v := SectionViews{{"education", 5120}, {"road-ahead", 830}}
	var js, txt, lf bytes.Buffer
	log.NewWithOptions(&js, log.Options{Formatter: log.JSONFormatter}).Info("session end", "sections", v)
	log.NewWithOptions(&txt, log.Options{Formatter: log.TextFormatter}).Info("session end", "sections", v)
	log.NewWithOptions(&lf, log.Options{Formatter: log.LogfmtFormatter}).Info("session end", "sections", v)
	if !strings.Contains(js.String(), `"sections":[{"slug":"education","ms":5120},{"slug":"road-ahead","ms":830}]`) {
		t.Errorf("JSON: %s", js.String())
	}
	for _, out := range []string{txt.String(), lf.String()} {
		if !strings.Contains(out, "education:5120,road-ahead:830") {
			t.Errorf("text/logfmt: %s", out)
		}
	}
	if got := fmt.Sprint(SectionViews{}); got != "" {
		t.Errorf("empty: %q", got)
	}
}
