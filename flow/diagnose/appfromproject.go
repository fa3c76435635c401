package diagnose

import "github.com/authscope/authscope/flow/project"

// ProjectApp is what the rules know of an app from its project: its
// framework's files and names, the local auth config, the variable the
// config reads the issuer from, and the variables the deployment is known
// to lack. publishableKey, when set, is the key the app signs in with
// instead of the project's.
func ProjectApp(p *project.Project, publishableKey string) App {
	if publishableKey == "" {
		publishableKey, _ = p.PublishableKey.Effective()
	}
	app := App{
		Framework:         p.Framework.ID,
		ProviderFile:      p.Framework.ProviderFile,
		EnvFile:           p.Framework.EnvFile,
		PublishableKeyVar: p.Framework.PublishableKeyVar,
		PublishableKey:    publishableKey,
		ProdDeployment:    p.DeploymentKind == "prod",
		Provider:          p.Provider.ID,
	}
	app.ClientID, _ = p.ClientID.Effective()
	app.SiteURL, _ = p.SiteURL.Effective()
	app.DeploymentURL, _ = p.DeploymentURL.Effective()
	if p.ConfigErr == nil {
		cfg := p.Config
		app.LocalConfig = &cfg
	}
	for _, prov := range p.Providers {
		f, ok := prov.Field("domain")
		if !ok {
			f, ok = prov.Field("issuer")
		}
		if ok && len(f.Reads) > 0 && app.DomainVar == "" {
			app.DomainVar = f.Reads[0].Name
		}
	}
	for _, r := range p.Raw {
		app.MissingEnv = append(app.MissingEnv, r.MissingEnv...)
	}
	return app
}
