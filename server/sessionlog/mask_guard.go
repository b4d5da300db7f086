package sessionlog

import (
	"context"
	"log/slog"
	"net/netip"
)

// maskRemote wraps the handler the guard logs through so that, with PORTFOLIO_LOG_MASK_ADDR,
// its "remote" values (an IPv4 address or an IPv6 /64) are cut to the same /24 or /48 as
// every other address the server logs.
func maskRemote(h slog.Handler) slog.Handler { return remoteMasker{h} }

type remoteMasker struct{ slog.Handler }

func (m remoteMasker) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "remote" {
			a = slog.String(a.Key, maskSourceKey(a.Value.String()))
		}
		out.AddAttrs(a)
		return true
	})
	return m.Handler.Handle(ctx, out)
}

func (m remoteMasker) WithAttrs(attrs []slog.Attr) slog.Handler {
	return remoteMasker{m.Handler.WithAttrs(attrs)}
}

func (m remoteMasker) WithGroup(name string) slog.Handler {
	return remoteMasker{m.Handler.WithGroup(name)}
}

// maskSourceKey masks "192.0.2.7" to "192.0.2.0/24" and "2001:db8:1:2::/64" to
// "2001:db8:1::/48"; anything else becomes "masked".
func maskSourceKey(key string) string {
	addr, err := netip.ParseAddr(key)
	if err != nil {
		p, perr := netip.ParsePrefix(key)
		if perr != nil {
			return "masked"
		}
		addr = p.Addr()
	}
	return maskIP(addr)
}
