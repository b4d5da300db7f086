package session

import (
	"fmt"
	"strconv"
)

// SectionView is one section a visitor viewed and for how long.
type SectionView struct {
	Slug string `json:"slug"`
	MS   int64  `json:"ms"`
}

// SectionViews is the "sections" value of "session end". The JSON log gets the list as it
// is, [{"slug":"education","ms":5120},...], which portfolio stats reads; text and logfmt
// logs print it through Format as "education:5120,road-ahead:830". It deliberately has no
// String method: charm.land/log's JSON formatter would prefer that to the list.
type SectionViews []SectionView

// Format writes the compact text form for %v and %+v (the text and logfmt formatters).
func (s SectionViews) Format(f fmt.State, _ rune) {
	for i, v := range s {
		if i > 0 {
			_, _ = f.Write([]byte{','})
		}
		_, _ = f.Write([]byte(v.Slug + ":" + strconv.FormatInt(v.MS, 10)))
	}
}
