using Summit.Gateway.Accounts;
using Summit.Gateway.Api;
using Summit.Gateway.Hosting;
using Summit.Gateway.Idempotency;
using Summit.Gateway.Live;
using Summit.Gateway.Security;
using Summit.Hosting.Startup;
using Summit.Serialization;

var builder = WebApplication.CreateBuilder(args);
builder.AddSummitOrleans();
builder.Services.ConfigureHttpJsonOptions(o => SummitJson.Configure(o.SerializerOptions));
builder.AddSummitSecurity();
builder.AddSummitApi();
builder.AddSummitLive();
builder.AddSummitNotificationsApi();
builder.Services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls("http://localhost:5080");

var app = builder.Build();
app.UseSummitProblems();
app.UseRequestBodyLimit();
app.UseSummitSecurity();
app.UseRequestFormat();
app.UseSummitIdempotency();

app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapSummitOpenApi();
app.MapAuthApi();
app.MapAccountsApi();
app.MapAuditApi();
app.MapSummitOrleansDashboard();
app.MapSummitApi();
app.MapSummitLive();
app.MapSummitNotificationsApi();
app.UseDashboard();
app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
