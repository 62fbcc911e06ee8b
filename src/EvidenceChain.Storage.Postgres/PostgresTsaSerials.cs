using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Storage.Postgres.Internal;
using Npgsql;

namespace EvidenceChain.Storage.Postgres;

/// <summary>
/// Time-stamp serial numbers as the data folder's <c>keys/tsa.serial</c> makes them, with the block counter in table
/// <c>tsa_serial</c>: each process reserves a block of 2^32 serials with one synchronously committed
/// <c>UPDATE ... RETURNING</c> and hands them out as <c>block * 2^32 + n</c>. Several processes never share a block;
/// a crash wastes the rest of one, never reuses it. (Not a sequence: <c>nextval</c> is not made durable by itself
/// and may repeat a value after a crash.)
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class PostgresTsaSerials : ITsaSerialNumbers
{
    private const ulong BlockSize = 1UL << 32;
    private readonly NpgsqlDataSource _source;
    private readonly Lock _lock = new();
    private ulong _block;
    private ulong _next = BlockSize; // nothing reserved yet

    public PostgresTsaSerials(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _source = database.Source;
    }

    /// <inheritdoc/>
    public UInt128 Allocate()
    {
        lock (_lock)
        {
            if (_next == BlockSize)
            {
                using var reserve = _source.CreateCommand("UPDATE tsa_serial SET next_block = next_block + 1 WHERE id = 1 RETURNING next_block - 1");
                _block = (ulong)(long)reserve.ExecuteScalar()!;
                _next = 0;
            }

            return ((UInt128)_block * BlockSize) + _next++;
        }
    }
}
