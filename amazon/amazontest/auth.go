package amazontest

import "net/http"

// SP-API calls carry the LWA access token in x-amz-access-token. A
// missing, unknown or expired token is refused with 403 Unauthorized and
// "Access to requested resource is denied.", the three cases told apart
// only by details. The status is 403, not 401: the models list "Expired
// Token" among the reasons of 403 ("Indicates access to the resource is
// forbidden. Possible reasons include Access Denied, Unauthorized, Expired
// Token, or Invalid Signature.", ordersV0.json and feeds_2021-06-30.json),
// and production answers an expired LWA token with 403 and the details
// "The access token you provided has expired.", on which public SP-API
// clients key their token refresh (as it answered an expired AWS security
// token with 403 in the signed era,
// github.com/amzn/selling-partner-api-docs/issues/3153). The
// 401 the models also list is for a malformed Authorization header of the
// old AWS Signature V4 signing, which SP-API no longer requires; the fake
// ignores Authorization.
//
// Since October 2023 the SP-API needs no AWS SigV4 signature, only the
// access token, so the fake checks nothing else.

// authenticate finds the seller of the call's access token, or the 403
// that refuses it.
func (s *Server) authenticate(c *call) (*Seller, *response) {
	tok := c.r.Header.Get("x-amz-access-token")
	refuse := func(details string) (*Seller, *response) {
		r := errorResponse(http.StatusForbidden, newError(CodeUnauthorized, msgAccessDenied, details))
		return nil, &r
	}
	if tok == "" {
		return refuse(detailsTokenMissing)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[tok]
	switch {
	case t == nil:
		return refuse(detailsTokenInvalid)
	case !c.now.Before(t.expires):
		return refuse(detailsTokenExpired)
	}
	return t.seller, nil
}
