using EvidenceChain.Web;
using EvidenceChain.Web.Console;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");

// The verification page asks this origin for trust.json only; the console's calls to the node's JSON API go through
// NodeApi, with the signed-in key in the Authorization header. Both stay on this origin (connect-src 'self').
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddScoped<ConsoleSession>();
builder.Services.AddScoped<NodeApi>();

await builder.Build().RunAsync();
