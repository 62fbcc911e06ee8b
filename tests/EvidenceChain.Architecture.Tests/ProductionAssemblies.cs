namespace EvidenceChain.Architecture.Tests;

/// <summary>
/// DESIGN.md §1 and STYLE.md §1 per project. When a test here fails because a project now references something new,
/// decide whether the arrow is wanted; if it is, add it here (and to DESIGN.md if it changes the picture). The lists
/// are exact: a reference that is gone must leave the list too, so the list never grows stale.
/// </summary>
internal static class ProductionAssemblies
{
    /// <summary>The namespace of the types generated from proto/; they keep the proto package's name wherever they are compiled.</summary>
    public const string GeneratedApiNamespace = "EvidenceChain.Api.V1";

    public static readonly ProductionAssembly Core = new(
        "EvidenceChain.Core",
        "EvidenceChain.Core",
        "EvidenceChain.Core",
        [
            "BouncyCastle.Cryptography",
            "System.Collections", "System.Collections.Immutable", "System.Formats.Asn1", "System.Linq", "System.Memory", "System.Runtime",
            "System.Runtime.InteropServices", "System.Runtime.Intrinsics", "System.Security.Cryptography", "System.Text.Encoding.Extensions",
            "System.Text.Encodings.Web", "System.Text.Json", "System.Threading.Tasks.Parallel",
        ],
        [IoRules.NoIo],
        []);

    public static readonly ProductionAssembly Verifier = new(
        "EvidenceChain.Verifier",
        "EvidenceChain.Verifier",
        "EvidenceChain.Verifier",
        [
            // BouncyCastle: RFC 3161 tokens, CMS and X.509 in managed code, so the verifier also runs in a browser.
            "BouncyCastle.Cryptography", "EvidenceChain.Core",
            "System.Collections", "System.Collections.Immutable", "System.Formats.Asn1", "System.IO.Compression",
            "System.Linq", "System.Memory", "System.Runtime", "System.Runtime.Numerics", "System.Security.Cryptography",
            "System.Text.Encoding.Extensions",
        ],
        [IoRules.NoIo],
        []);

    public static readonly ProductionAssembly Ledger = new(
        "EvidenceChain.Ledger",
        "EvidenceChain.Ledger",
        "EvidenceChain.Ledger",
        [
            // BouncyCastle: outside DESIGN.md §1 (Core keeps it internal). No System.Net: the external TSA client is the Node's.
            "BouncyCastle.Cryptography", "EvidenceChain.Core", "Microsoft.Extensions.Logging.Abstractions",
            "System.Collections", "System.Collections.Concurrent", "System.Collections.Immutable", "System.Linq", "System.Memory",
            "System.Runtime", "System.Runtime.InteropServices", "System.Security.Cryptography",
            "System.Threading", "System.Threading.Channels",
        ],
        [IoRules.NoNetwork],
        []);

    public static readonly ProductionAssembly Storage = new(
        "EvidenceChain.Storage",
        "EvidenceChain.Storage",
        "EvidenceChain.Storage",
        [
            // Verifier: the audit re-verifies every stored timestamp token with the same code as a third party.
            "EvidenceChain.Core", "EvidenceChain.Ledger", "EvidenceChain.Verifier", "LiteDB",
            "Microsoft.Extensions.Logging.Abstractions", "System.Collections", "System.Collections.Concurrent",
            "System.Formats.Asn1", "System.Linq", "System.Memory", "System.Runtime", "System.Runtime.InteropServices",
            "System.Runtime.Numerics", "System.Security.Cryptography", "System.Text.Encoding.Extensions",
            // Channels: a large upload's two hashes are fed the same segments (Internal/ParallelDigests.cs).
            "System.Threading", "System.Threading.Channels", "System.Threading.Tasks.Parallel", "System.Threading.Thread",
        ],
        [IoRules.NoNetwork],
        []);

    public static readonly ProductionAssembly StoragePostgres = new(
        "EvidenceChain.Storage.Postgres",
        "EvidenceChain.Storage.Postgres",
        "EvidenceChain.Storage.Postgres",
        [
            // Npgsql (and ADO.NET's System.Data.Common under it): the postgres driver's one dependency; the network is
            // Npgsql's, the driver's own code uses no System.Net.
            "EvidenceChain.Core", "EvidenceChain.Ledger", "Npgsql", "System.Collections", "System.Collections.Concurrent",
            "System.Data.Common", "System.Linq", "System.Memory", "System.Runtime", "System.Security.Cryptography", "System.Threading",
        ],
        [IoRules.NoNetwork],
        []);

    public static readonly ProductionAssembly Capture = new(
        "EvidenceChain.Capture",
        "EvidenceChain.Capture",
        "EvidenceChain.Capture",
        [
            "EvidenceChain.Core", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Win32.Primitives",
            "System.Collections", "System.Collections.Concurrent", "System.Diagnostics.Process", "System.Linq", "System.Memory",
            "System.Net.Http", "System.Net.NameResolution", "System.Net.Primitives", "System.Net.Security", "System.Net.Sockets",
            "System.Net.WebSockets", "System.Net.WebSockets.Client", "System.Runtime", "System.Security.Cryptography", "System.Text.Json",
            "System.Text.RegularExpressions", "System.Threading",
            // The session video's ffmpeg process (Browser/Internal/SessionVideo.cs).
            "System.ComponentModel.Primitives", "System.Runtime.InteropServices",
            // Content coding removed from recorded responses before the browser gets them (Internal/RecordingFetcher.cs).
            "System.IO.Compression", "System.IO.Compression.Brotli",
        ],
        [],
        []);

    public static readonly ProductionAssembly Node = new(
        "EvidenceChain.Node",
        "evidencechain-node",
        "EvidenceChain.Node",
        [
            "BouncyCastle.Cryptography", "EvidenceChain.Capture", "EvidenceChain.Core", "EvidenceChain.Ledger",
            "EvidenceChain.Storage", "EvidenceChain.Storage.Postgres", "EvidenceChain.Verifier", "EvidenceChain.Witness", "Google.Api.CommonProtos", "Google.Protobuf",
            "Grpc.AspNetCore.HealthChecks", "Grpc.AspNetCore.Server", "Grpc.AspNetCore.Server.Reflection",
            "Grpc.Core.Api", "Grpc.Net.Common", "Microsoft.AspNetCore", "Microsoft.AspNetCore.Connections.Abstractions",
            // Hosting, StaticAssets, FileProviders, RegularExpressions, Encodings.Web: the verification page (Http/WebPage.cs).
            "Microsoft.AspNetCore.Grpc.JsonTranscoding", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Hosting.Abstractions",
            "Microsoft.AspNetCore.Http.Abstractions", "Microsoft.AspNetCore.Http.Extensions",
            "Microsoft.AspNetCore.Http.Features", "Microsoft.AspNetCore.Http.Results", "Microsoft.AspNetCore.Mvc.Core",
            "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.StaticAssets",
            "Microsoft.AspNetCore.Server.Kestrel.Core", "Microsoft.Extensions.Configuration",
            "Microsoft.Extensions.Configuration.Abstractions", "Microsoft.Extensions.Configuration.Binder",
            "Microsoft.Extensions.Configuration.CommandLine", "Microsoft.Extensions.Configuration.EnvironmentVariables",
            "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Diagnostics.HealthChecks",
            "Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions", "Microsoft.Extensions.Features", "Microsoft.Extensions.FileProviders.Abstractions",
            "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Logging.Abstractions",
            "Microsoft.Extensions.Options", "Microsoft.Extensions.Options.ConfigurationExtensions",
            "Microsoft.Extensions.Primitives", "Microsoft.Net.Http.Headers", "PdfSharp", "PdfSharp.System", "QRCoder",
            "StbImageSharp", "System.Collections",
            "System.Collections.Concurrent", "System.Collections.Immutable",
            "System.ComponentModel", "System.Console", "System.Data.Common", "System.IO.Compression", "System.Linq", "System.Memory",
            "System.Net.Http", "System.Net.Primitives", "System.Runtime", "System.Runtime.InteropServices",
            "System.Security.Cryptography", "System.Text.Encodings.Web", "System.Text.Json", "System.Text.RegularExpressions", "System.Threading",
            "System.Threading.Channels", "System.Threading.RateLimiting",
        ],
        [],
        []);

    public static readonly ProductionAssembly Witness = new(
        "EvidenceChain.Witness",
        "EvidenceChain.Witness",
        "EvidenceChain.Witness",
        [
            // The C2SP witness on HTTP, shared by the node and `evidencectl witness serve` (its own small Kestrel host).
            "EvidenceChain.Core", "Microsoft.AspNetCore", "Microsoft.AspNetCore.Hosting.Abstractions",
            "Microsoft.AspNetCore.Hosting.Server.Abstractions", "Microsoft.AspNetCore.Http.Abstractions", "Microsoft.AspNetCore.Http.Features",
            "Microsoft.AspNetCore.Http.Results", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Server.Kestrel",
            "Microsoft.AspNetCore.Server.Kestrel.Core", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Features",
            "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Logging", "Microsoft.Extensions.Logging.Abstractions",
            "Microsoft.Extensions.Primitives", "System.Collections", "System.ComponentModel", "System.Linq", "System.Memory",
            "System.Net.Primitives", "System.Runtime", "System.Runtime.InteropServices", "System.Security.Cryptography", "System.Threading",
        ],
        [],
        []);

    public static readonly ProductionAssembly Web = new(
        "EvidenceChain.Web",
        "EvidenceChain.Web",
        "EvidenceChain.Web",
        [
            // The verification page (Blazor WebAssembly): the Verifier in the browser. BouncyCastle reads pinned CA
            // certificates for display; System.Net.Http fetches trust.json from the page's own origin, once, at load.
            // The console (issue 17) calls the node's JSON API on the same origin: System.Net.Http(.Json), Net.Primitives
            // (status codes, the Authorization header), Threading (cancellation).
            "BouncyCastle.Cryptography", "EvidenceChain.Core", "EvidenceChain.Verifier",
            "Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Components.Web", "Microsoft.AspNetCore.Components.WebAssembly",
            "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.JSInterop",
            "System.Collections", "System.Collections.Immutable", "System.ComponentModel", "System.Linq", "System.Memory", "System.Net.Http",
            "System.Net.Http.Json", "System.Net.Primitives", "System.Runtime", "System.Runtime.InteropServices", "System.Security.Cryptography", "System.Text.Encodings.Web", "System.Text.Json",
            "System.Text.RegularExpressions", "System.Threading",
        ],
        [],
        []);

    public static readonly ProductionAssembly Cli = new(
        "EvidenceChain.Cli",
        "evidencectl",
        "EvidenceChain.Cli",
        [
            // Ledger and Storage: outside DESIGN.md §1; reindex and audit work on a data folder (see the project file).
            // Witness and the logging/options assemblies: `witness serve`, the stand-alone witness, logging to stderr.
            "EvidenceChain.Core", "EvidenceChain.Ledger", "EvidenceChain.Storage", "EvidenceChain.Verifier", "EvidenceChain.Witness",
            "Google.Api.CommonProtos", "Google.Protobuf", "Grpc.Core.Api", "Grpc.Net.Client", "Grpc.Net.Common",
            "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Logging", "Microsoft.Extensions.Logging.Console",
            "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options", "System.Collections", "System.Collections.Concurrent", "System.CommandLine", "System.Console", "System.Linq", "System.Memory", "System.Net.Http",
            "System.Net.Primitives", "System.Net.Security", "System.Runtime", "System.Runtime.InteropServices",
            "System.Security.Cryptography", "System.Text.Encoding.Extensions", "System.Text.Encodings.Web",
            "System.Text.Json",
            // mirror: bounded concurrent fetches and verification.
            "System.Threading", "System.Threading.Tasks.Parallel",
            // audit --postgres: reads a postgres-driver database in a read-only snapshot.
            "Npgsql", "System.Data.Common",
        ],
        [],
        []);

    public static readonly ProductionAssembly[] All = [Core, Verifier, Ledger, Storage, StoragePostgres, Capture, Node, Witness, Web, Cli];
}
