package app

import "context"

type authKey struct{}

// WithAuth attaches the verified caller to a request context. Transports
// read it back at their edge and pass the actor on explicitly.
func WithAuth(ctx context.Context, a Authenticated) context.Context {
	return context.WithValue(ctx, authKey{}, a)
}

// AuthFrom returns the caller attached to ctx, if any.
func AuthFrom(ctx context.Context) (Authenticated, bool) {
	a, ok := ctx.Value(authKey{}).(Authenticated)
	return a, ok
}
