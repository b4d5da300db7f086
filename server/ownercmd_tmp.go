package server

import (
	"fmt"

	"portfolio/server/session"
)

func (s *Server) ownerCommand(v *session.Visit, args []string) int {
	fmt.Fprintln(v, "owner", args)
	return 0
}
