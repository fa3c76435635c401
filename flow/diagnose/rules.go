package diagnose

// The codes, in table order.
const (
	// Rounds: before and at the token fetch.
	CodeProductionKeyOnLoopback  = "production-key-on-loopback"
	CodeIntegrationOffNoTemplate = "integration-off-no-template"
	CodeClientWiring             = "client-wiring"
	CodeTokenFetchFailed         = "token-fetch-failed"
	CodeLocalNetwork             = "local-network"
	CodeBackendUnreachable       = "backend-unreachable"

	// Rounds: the transport failed after the token was sent; no verdict.
	CodeConnectionDropped = "connection-dropped"
	CodeNotConvexBackend  = "not-convex-backend"
	CodeBackendSilent     = "backend-silent"
	CodeFrameTooLarge     = "frame-too-large"

	// Rounds: the deployment's providers.
	CodeNoProviders                 = "no-providers"
	CodeIssuerEnvUnset              = "issuer-env-unset"
	CodeIssuerIsJWKSURL             = "issuer-is-jwks-url"
	CodeIssuerDevVsProd             = "issuer-dev-vs-prod"
	CodePublishableKeyOtherInstance = "publishable-key-other-instance"
	CodeConfigNotPushed             = "config-not-pushed"
	CodeIssuerMismatch              = "issuer-mismatch"
	CodeApplicationIDTypo           = "application-id-typo"
	CodeAudienceMismatch            = "audience-mismatch"

	// Rounds and projects: what goes wrong with one sign-in provider
	// (flow/provider/SPEC.md "Causes").
	CodeAuth0AccessTokenSent       = "auth0-access-token-sent"
	CodeAuth0ApplicationIDIsAPIAud = "auth0-application-id-is-api-audience"
	CodeWorkOSIssuerMismatch       = "workos-issuer-mismatch"
	CodeWorkOSMissingAud           = "workos-missing-aud"
	CodeWorkOSJWKSClientID         = "workos-jwks-client-id"
	CodeConvexAuthSiteURL          = "convex-auth-site-url"
	CodeConvexAuthCustomDomain     = "convex-auth-custom-domain"
	CodeConvexAuthJWKSMismatch     = "convex-auth-jwks-mismatch"

	// Rounds: discovery and the JWKS on the OIDC path.
	CodeDiscoveryUnreachable    = "discovery-unreachable"
	CodeDiscoveryIssuerMismatch = "discovery-issuer-mismatch"
	CodeDiscoveryFailed         = "discovery-failed"

	// Rounds: the OIDC verifier's checks.
	CodeUnknownKid        = "unknown-kid"
	CodeJWKSCacheStale    = "jwks-cache-stale"
	CodeOIDCAlgorithm     = "oidc-algorithm"
	CodeMultipleAudiences = "multiple-audiences"
	CodeSignatureInvalid  = "signature-invalid"

	// Rounds: time and the refresh schedule.
	CodeTokenMissingClaims    = "token-missing-claims"
	CodeTokenLifetimeTooShort = "token-lifetime-too-short"
	CodeLocalClockSkew        = "local-clock-skew"
	CodeTokenExpired          = "token-expired"
	CodeTokenNotYetValid      = "token-not-yet-valid"

	// Rounds: the customJwt path.
	CodeCustomJWTMissingKid      = "custom-jwt-missing-kid"
	CodeCustomJWTWrongAlgorithm  = "custom-jwt-wrong-algorithm"
	CodeCustomJWTJWKSContentType = "custom-jwt-jwks-content-type"
	CodeCustomJWTJWKSFailed      = "custom-jwt-jwks-failed"

	// Rounds: the backend and the replay disagree, and the last resort.
	CodeBackendDisagrees = "backend-disagrees"
	CodeTokenRejected    = "token-rejected"

	// The project's files.
	CodeNoAuthConfig             = "no-auth-config"
	CodeAuthConfigUnparseable    = "auth-config-unparseable"
	CodeProviderCommentedOut     = "provider-commented-out"
	CodeConfigRejected           = "config-rejected"
	CodeEnvFallbackChain         = "env-fallback-chain"
	CodeEnvUnknown               = "env-unknown"
	CodeEnvFromLocalFile         = "env-from-local-file"
	CodeDomainIsJWKSURL          = "domain-is-jwks-url"
	CodeDomainTrailingSlash      = "domain-trailing-slash"
	CodeCustomJWTNoApplicationID = "custom-jwt-no-application-id"
	CodeApplicationIDNotConvex   = "application-id-not-convex"
	CodeProviderShadowed         = "provider-shadowed"
	CodeKeyInstanceMismatch      = "key-instance-mismatch"
	CodeNoPublishableKey         = "no-publishable-key"
	CodePublishableKeyInvalid    = "publishable-key-invalid"
	CodeProductionKey            = "production-key"
	CodeNoDeploymentURL          = "no-deployment-url"
	CodePackageJSONUnreadable    = "package-json-unreadable"
	CodeAssumedConfig            = "assumed-config"
)

// Rule is one cause: one row of the table below.
type Rule struct {
	// Code is stable and kebab-case: the interface, the JSON report, the
	// README and the demo scenarios use it.
	Code string
	// Title says what the cause is, in one line (a finding's own title
	// says it with the round's values).
	Title string
	// Docs is the public page that explains the cause.
	Docs string

	// rejected explains why a round was not authenticated. The backend
	// stops at its first failing check, so the first rule that explains a
	// round is its one cause.
	rejected func(*round) *Finding
	// undecided explains why neither the backend nor the client decided a
	// round (the sign-in was refused, the deployment could not be reached,
	// the transport failed). Only these rules see such a round: no
	// configuration was tested.
	undecided func(*round) *Finding
	// lasting finds a problem any round with a token has, accepted or not:
	// it breaks the client's token refresh later.
	lasting func(*round) *Finding
	// project finds the cause in the project's files before the flow.
	project func(*projectFacts) []Finding
	// quiet marks a project finding that breaks nothing: it is checked
	// but not shown before the flow.
	quiet bool
}

// Rules returns the table, top to bottom.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// Runtime reports whether the rule explains rounds.
func (r Rule) Runtime() bool { return r.rejected != nil || r.lasting != nil || r.undecided != nil }

// Static reports whether the rule reads the project's files.
func (r Rule) Static() bool { return r.project != nil }

// Shown reports whether the rule's findings reach the user.
func (r Rule) Shown() bool { return !r.quiet }

// Public pages that explain several causes.
const (
	docsDebugConfig   = "https://docs.convex.dev/auth/debug#step-3-check-that-backend-configuration-matches-frontend-configuration"
	docsOIDCProvider  = "https://docs.convex.dev/auth/advanced/custom-auth#server-side-integration"
	docsCustomJWT     = "https://docs.convex.dev/auth/advanced/custom-jwt#server-side-integration"
	docsClerkGuide    = "https://docs.convex.dev/auth/clerk#get-started"
	docsClerkKeys     = "https://docs.convex.dev/auth/clerk#configuring-clerks-api-keys"
	docsEnvVars       = "https://docs.convex.dev/production/environment-variables#setting-environment-variables"
	docsDeploymentURL = "https://docs.convex.dev/client/react/deployment-urls"
	docsClerkConvex   = "https://clerk.com/docs/guides/development/integrations/databases/convex"
	docsProdKeys      = "https://clerk.com/docs/guides/development/troubleshooting/using-production-keys-in-development"
	docsClerkJWKS     = "https://clerk.com/docs/guides/sessions/manual-jwt-verification"
	docsJWTTemplates  = "https://clerk.com/docs/guides/sessions/jwt-templates#create-a-jwt-template"
	docsSessionTokens = "https://clerk.com/docs/guides/sessions/session-tokens#default-claims"
	docsConnection    = "https://docs.convex.dev/api/classes/react.ConvexReactClient#connectionstate"
)

// rules is the table. A decided round is explained by the first rule, top
// to bottom, whose rejected check holds (each check first asks where the
// round stopped); then every lasting check runs. A round nothing decided
// is explained by the first rule whose undecided check holds, and by
// nothing else. A project is checked by every project check, top to
// bottom.
var rules = []Rule{
	// Before and at the token fetch (steps 1–5).
	{Code: CodeProductionKeyOnLoopback, Docs: docsProdKeys, undecided: productionKeyOnLoopback,
		Title: "A pk_live_ key cannot sign in from a loopback origin (Clerk allows production keys only on the app's domain)"},
	{Code: CodeIntegrationOffNoTemplate, Docs: docsClerkConvex + "#set-up-clerk-as-a-convex-third-party-auth-provider", rejected: integrationOffNoTemplate,
		Title: "Clerk's Convex integration is off and no JWT template is named convex: getToken gets 404, returns null, no Authenticate is sent"},
	{Code: CodeClientWiring, Docs: docsClerkConvex + "#configure-the-clerk-and-convex-providers", rejected: clientWiring,
		Title: "Signed in to Clerk, yet the Convex client got no token and Clerk reported no error: ClerkProvider must wrap ConvexProviderWithClerk, and useAuth must be Clerk's"},
	{Code: CodeTokenFetchFailed, Docs: "https://docs.convex.dev/auth/debug#step-2-check-whether-authentication-works-on-the-frontend", rejected: tokenFetchFailed,
		Title: "Clerk returned another error for the token"},
	{Code: CodeLocalNetwork, Docs: "https://docs.convex.dev/auth/debug", undecided: localNetwork,
		Title: "This machine cannot reach the Frontend API, the deployment or the issuer (DNS, connection, TLS or proxy): nothing was tested"},
	{Code: CodeBackendUnreachable, Docs: docsDeploymentURL, undecided: backendUnreachable,
		Title: "The deployment could not be reached"},

	// The transport failed after the token was sent (step 6): no verdict.
	{Code: CodeConnectionDropped, Docs: docsConnection, undecided: connectionDropped,
		Title: "The connection dropped without a close frame (TCP reset, end of stream, truncated frame) before any answer"},
	{Code: CodeNotConvexBackend, Docs: docsDeploymentURL, undecided: notConvexBackend,
		Title: "The server at the deployment URL does not speak Convex's sync protocol (garbage, binary, bad framing, a web page)"},
	{Code: CodeBackendSilent, Docs: docsConnection, undecided: backendSilent,
		Title: "No verdict came before the deadline, whatever else the server sent"},
	{Code: CodeFrameTooLarge, Docs: "https://docs.convex.dev/production/state/limits", undecided: frameTooLarge,
		Title: "A frame announced more than the client's message limit; refused at its header, unread"},

	// The deployment's providers (the backend matched none).
	{Code: CodeNoProviders, Docs: docsDebugConfig, rejected: noProviders, project: projectNoProviders,
		Title: "auth.config.ts lists no provider (the templates ship it commented out)"},
	{Code: CodeIssuerEnvUnset, Docs: docsEnvVars, rejected: issuerEnvUnset,
		Title: "CLERK_JWT_ISSUER_DOMAIN is not set on the deployment (the push fails), or the domain is what an unset variable leaves"},
	{Code: CodeIssuerIsJWKSURL, Docs: docsOIDCProvider, rejected: issuerIsJWKSURL,
		Title: "The domain is the JWKS (or discovery) URL, not the issuer"},
	{Code: CodeIssuerDevVsProd, Docs: "https://docs.convex.dev/auth/clerk#configuring-dev-and-prod-instances", rejected: issuerDevVsProd,
		Title: "Token from the development instance, deployment trusts production (or the reverse)"},
	{Code: CodePublishableKeyOtherInstance, Docs: docsDebugConfig, rejected: publishableKeyOtherInstance,
		Title: "The publishable key names one Clerk instance, the deployment trusts another"},
	{Code: CodeConfigNotPushed, Docs: "https://docs.convex.dev/auth/clerk#debugging-authentication", rejected: configNotPushed,
		Title: "The deployment runs other providers than convex/auth.config.ts"},

	// One sign-in provider's own mistakes, before the generic issuer,
	// audience and signature rules that would explain them less well.
	{Code: CodeAuth0AccessTokenSent, Docs: "https://auth0.com/docs/secure/tokens/id-tokens", rejected: auth0AccessTokenSent,
		Title: "The app sent Auth0's access token instead of the ID token ConvexProviderWithAuth0 sends (aud is the API identifier, no profile claims)"},
	{Code: CodeAuth0ApplicationIDIsAPIAud, Docs: "https://docs.convex.dev/auth/auth0#get-started", rejected: auth0ApplicationIDIsAPIAudience,
		project: eachProvider(projectAuth0ApplicationIDIsAPIAudience),
		Title:   "applicationID is the Auth0 API identifier instead of the client ID, the aud of the ID token"},
	{Code: CodeWorkOSIssuerMismatch, Docs: "https://docs.convex.dev/auth/authkit/add-to-app", rejected: workosIssuerMismatch, project: projectWorkosIssuerMismatch,
		Title: "The token's WorkOS issuer is not trusted: AuthKit's user_management/<client ID> against SSO's api.workos.com, or another environment's client ID"},
	{Code: CodeWorkOSMissingAud, Docs: "https://docs.convex.dev/auth/authkit/troubleshooting", rejected: workosMissingAud, project: eachProvider(projectWorkosMissingAud),
		Title: "AuthKit's access token has no aud, and the provider for its issuer requires an applicationID (an OIDC provider, or a customJwt with one)"},
	{Code: CodeWorkOSJWKSClientID, Docs: "https://workos.com/docs/reference/authkit/session-tokens", rejected: workosJWKSClientID, project: eachProvider(projectWorkosJWKSClientID),
		Title: "The customJwt jwks URL lacks the WorkOS client ID (https://api.workos.com/sso/jwks/<client ID>), or names another environment's"},
	{Code: CodeConvexAuthSiteURL, Docs: "https://labs.convex.dev/auth/setup/manual", rejected: convexAuthSiteURL, project: eachProvider(projectConvexAuthSiteURL),
		Title: "The provider's domain is not the deployment's CONVEX_SITE_URL, the issuer of Convex Auth's tokens (SITE_URL, localhost, another deployment)"},
	{Code: CodeConvexAuthCustomDomain, Docs: "https://docs.convex.dev/auth/convex-auth", rejected: convexAuthCustomDomain, project: eachProvider(projectConvexAuthCustomDomain),
		Title: "A custom domain as issuer while Convex Auth's tokens carry the deployment's .convex.site URL, or the reverse"},
	{Code: CodeConvexAuthJWKSMismatch, Docs: "https://labs.convex.dev/auth/setup/manual", rejected: convexAuthJWKSMismatch, project: projectConvexAuthJWKSMismatch,
		Title: "The deployment's JWKS does not hold the public key of JWT_PRIVATE_KEY: Convex Auth's tokens fail the signature check"},

	{Code: CodeIssuerMismatch, Docs: docsDebugConfig, rejected: issuerMismatch,
		Title: "Any other issuer difference, including invisible or look-alike characters"},
	{Code: CodeApplicationIDTypo, Docs: docsOIDCProvider, rejected: applicationIDTypo,
		Title: "applicationID is not convex while the token's aud is (case, look-alike letter)"},
	{Code: CodeAudienceMismatch, Docs: docsDebugConfig, rejected: audienceMismatch,
		Title: "The token's aud is not the applicationID (template's aud claim edited, or no aud)"},

	// Discovery and the JWKS on the OIDC path (step 7).
	{Code: CodeDiscoveryUnreachable, Docs: docsOIDCProvider, rejected: discoveryUnreachable,
		Title: "The backend cannot reach <iss>/.well-known/openid-configuration"},
	{Code: CodeDiscoveryIssuerMismatch, Docs: docsOIDCProvider, rejected: discoveryIssuerMismatch,
		Title: "The discovery document's issuer is not exactly the token's iss"},
	{Code: CodeDiscoveryFailed, Docs: docsOIDCProvider, rejected: discoveryFailed,
		Title: "Discovery or the JWKS answers 404/5xx or a wrong content type: the socket closes with 1000/1013 AuthProviderDiscoveryFailed and no AuthError"},

	// The OIDC verifier's checks.
	{Code: CodeUnknownKid, Docs: docsClerkJWKS + "#get-your-instances-public-key", rejected: unknownKid,
		Title: "The token's kid is not in the issuer's JWKS (key rotated, or another instance's key)"},
	{Code: CodeJWKSCacheStale, Docs: docsClerkJWKS + "#get-your-instances-public-key", rejected: jwksCacheStale,
		Title: "The backend checks against a JWKS it cached before a key rotation (Convex refetches only when the cache expires, not on an unknown kid)"},
	{Code: CodeOIDCAlgorithm, Docs: docsCustomJWT, rejected: oidcAlgorithm,
		Title: "ES256 or HS256 on the OIDC path (RS256 and EdDSA only)"},
	{Code: CodeMultipleAudiences, Docs: docsOIDCProvider, rejected: multipleAudiences,
		Title: "aud lists more than the applicationID"},
	{Code: CodeSignatureInvalid, Docs: docsClerkJWKS + "#verify-the-token-signature", rejected: signatureInvalid,
		Title: "The signature does not verify with the published key (the token was altered)"},

	// Time and the refresh schedule. The lasting checks run in this order
	// on every round with a token.
	{Code: CodeTokenMissingClaims, Docs: "https://docs.convex.dev/auth/advanced/custom-jwt", rejected: tokenMissingClaims, lasting: tokenMissingRefreshClaims,
		Title: "No sub, iat or exp: the OIDC path cannot parse the token and the client cannot schedule its refresh"},
	{Code: CodeTokenLifetimeTooShort, Docs: docsJWTTemplates, lasting: tokenLifetimeTooShort,
		Title: "The token lives less than the client's 10 s refresh leeway: the client refetches in a loop (or, at 2 s or less, never)"},
	{Code: CodeLocalClockSkew, Docs: docsJWTTemplates, rejected: localClockSkew, lasting: localClockSkewAccepted,
		Title: "This machine's clock is off from the issuer's, so a valid token looks expired (or not yet valid) to a backend on this machine"},
	{Code: CodeTokenExpired, Docs: docsSessionTokens, rejected: tokenExpired,
		Title: "The token had expired when the backend checked it (OIDC allows no leeway)"},
	{Code: CodeTokenNotYetValid, Docs: docsSessionTokens, rejected: tokenNotYetValid,
		Title: "nbf/iat in the future (customJwt)"},

	// The customJwt provider path.
	{Code: CodeCustomJWTMissingKid, Docs: "https://docs.convex.dev/auth/advanced/custom-jwt", rejected: customJWTMissingKid,
		Title: "customJwt provider, token without kid"},
	{Code: CodeCustomJWTWrongAlgorithm, Docs: docsCustomJWT, rejected: customJWTWrongAlgorithm,
		Title: "customJwt algorithm differs from the token's alg"},
	{Code: CodeCustomJWTJWKSContentType, Docs: docsCustomJWT, rejected: customJWTJWKSContentType,
		Title: "The customJwt JWKS is not served as application/json / application/jwk-set+json"},
	{Code: CodeCustomJWTJWKSFailed, Docs: docsCustomJWT, rejected: customJWTJWKSFailed,
		Title: "The customJwt JWKS cannot be fetched or parsed"},

	// When the backend and the replay disagree, and the last resort.
	{Code: CodeBackendDisagrees, Docs: "https://docs.convex.dev/auth/debug", rejected: backendDisagrees,
		Title: "The embedded backend rejected what authscope's own check accepts, with no cached JWKS to blame (its clock)"},
	{Code: CodeTokenRejected, Docs: "https://docs.convex.dev/auth/debug", rejected: tokenRejected,
		Title: "Any other check (the replay names it)"},

	// Found in the project's files before the flow starts.
	{Code: CodeNoAuthConfig, Docs: docsDebugConfig, project: projectNoAuthConfig,
		Title: "The project has no convex/auth.config.ts"},
	{Code: CodeAuthConfigUnparseable, Docs: docsClerkGuide, project: projectAuthConfigUnparseable,
		Title: "auth.config.ts does not bundle or evaluate, as npx convex dev would find"},
	{Code: CodeProviderCommentedOut, Docs: docsClerkGuide, project: projectProviderCommentedOut,
		Title: "The providers list is empty and a provider sits in a comment"},
	{Code: CodeConfigRejected, Docs: docsOIDCProvider, project: projectConfigRejected,
		Title: "Convex would refuse to push the auth config"},
	{Code: CodeEnvFallbackChain, Docs: docsEnvVars, project: eachField(projectEnvFallbackChain),
		Title: "A provider field falls back between variables: the first one read must be set on the deployment"},
	{Code: CodeEnvUnknown, Docs: docsEnvVars, project: projectEnvUnknown,
		Title: "auth.config.ts reads a variable that lives on the deployment, not locally"},
	{Code: CodeEnvFromLocalFile, Docs: docsEnvVars, project: projectEnvFromLocalFile, quiet: true,
		Title: "A variable auth.config.ts reads was taken from a local file; Convex uses the deployment's value"},
	{Code: CodeDomainIsJWKSURL, Docs: docsOIDCProvider, project: eachProvider(projectDomainIsJWKSURL),
		Title: "A provider's domain is a JWKS or discovery URL, not the issuer"},
	{Code: CodeDomainTrailingSlash, Docs: docsOIDCProvider, project: eachProvider(projectDomainTrailingSlash), quiet: true,
		Title: "A provider's domain ends with a slash (harmless: matching trims it)"},
	{Code: CodeCustomJWTNoApplicationID, Docs: "https://docs.convex.dev/auth/advanced/custom-jwt#warning-omitting-applicationid-is-often-insecure", project: eachProvider(projectCustomJWTNoApplicationID),
		Title: "A customJwt provider without applicationID: aud is not checked"},
	{Code: CodeApplicationIDNotConvex, Docs: docsClerkConvex + "#map-additional-claims-optional", project: eachProvider(projectApplicationIDNotConvex),
		Title: "A Clerk provider's applicationID is not convex"},
	{Code: CodeProviderShadowed, Docs: docsOIDCProvider, project: projectProviderShadowed,
		Title: "A provider is never used: an earlier one takes its tokens first"},
	{Code: CodeKeyInstanceMismatch, Docs: docsDebugConfig, project: projectKeyInstanceMismatch,
		Title: "The publishable key belongs to another Clerk instance than every provider"},
	{Code: CodeNoPublishableKey, Docs: docsClerkKeys, project: projectNoPublishableKey,
		Title: "No Clerk publishable key found"},
	{Code: CodePublishableKeyInvalid, Docs: docsClerkKeys, project: projectPublishableKeyInvalid,
		Title: "The publishable key is not valid"},
	{Code: CodeProductionKey, Docs: docsProdKeys, project: projectProductionKey,
		Title: "The project's publishable key is a production key: a sign-in through authscope is impossible"},
	{Code: CodeNoDeploymentURL, Docs: docsDeploymentURL, project: projectNoDeploymentURL,
		Title: "No Convex deployment URL found"},
	{Code: CodePackageJSONUnreadable, Docs: docsClerkGuide, project: projectPackageJSONUnreadable, quiet: true,
		Title: "package.json could not be read: the framework is unknown"},
	{Code: CodeAssumedConfig, Docs: docsClerkGuide,
		Title: "No project: the token is checked against the auth config the guides write for its issuer"},
}
