using Npgsql;
using NpgsqlTypes;

namespace EvidenceChain.Storage.Postgres.Internal;

/// <summary>Small helpers for positional parameters.</summary>
internal static class Sql
{
    /// <summary>Adds <paramref name="values"/> as $1, $2, ... (null as SQL NULL) and returns the command.</summary>
    public static NpgsqlCommand With(this NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>A parameter of an explicit type (arrays, and nulls whose type the statement does not fix).</summary>
    public static NpgsqlParameter Typed(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    /// <summary>A bytea[] parameter.</summary>
    public static NpgsqlParameter Bytes(byte[][] values) => Typed(values, NpgsqlDbType.Array | NpgsqlDbType.Bytea);

    /// <summary>A bigint[] parameter.</summary>
    public static NpgsqlParameter Bigints(long[] values) => Typed(values, NpgsqlDbType.Array | NpgsqlDbType.Bigint);

    /// <summary>A text[] parameter.</summary>
    public static NpgsqlParameter Texts(string[]? values) => Typed(values, NpgsqlDbType.Array | NpgsqlDbType.Text);

    /// <summary>A tree size or index as bigint (sizes stay below 2^63).</summary>
    public static long Big(ulong value) => checked((long)value);
}
