namespace EvidenceChain.Testing;

/// <summary>
/// Checks the equality and ordering contracts of value types in one place, so every value type is held to the
/// same rules (after nodatime's <c>TestHelper.TestEqualsStruct</c>).
/// </summary>
public static class EqualityContract
{
    /// <summary>
    /// Asserts <see cref="IEquatable{T}.Equals(T)"/>, <see cref="object.Equals(object)"/> and
    /// <see cref="object.GetHashCode"/> agree: <paramref name="value"/> equals <paramref name="equalValue"/> (a
    /// distinct instance with the same content) with the same hash code, and differs from every one of
    /// <paramref name="unequalValues"/>; nothing equals null or an object of another type.
    /// </summary>
    public static void AssertEquatable<T>(T value, T equalValue, params T[] unequalValues)
        where T : struct, IEquatable<T>
    {
        ArgumentNullException.ThrowIfNull(unequalValues);
        Assert.True(value.Equals(value), "reflexive");
        Assert.True(value.Equals(equalValue), "Equals(T) with an equal value");
        Assert.True(equalValue.Equals(value), "Equals(T) is symmetric");
        Assert.True(value.Equals((object)equalValue), "Equals(object) with an equal value");
        Assert.Equal(value.GetHashCode(), equalValue.GetHashCode());
        Assert.False(value.Equals(null), "Equals(null)");
        Assert.False(value.Equals(new object()), "Equals(another type)");
        foreach (var other in unequalValues)
        {
            Assert.False(value.Equals(other), $"Equals(T) with unequal {other}");
            Assert.False(other.Equals(value), $"Equals(T) with unequal {other}, reversed");
            Assert.False(value.Equals((object)other), $"Equals(object) with unequal {other}");
        }
    }

    /// <summary>
    /// Asserts <see cref="IComparable{T}.CompareTo(T)"/> is consistent with equality and antisymmetric:
    /// zero exactly for equal values, and opposite signs when the arguments swap.
    /// </summary>
    public static void AssertComparable<T>(T left, T right)
        where T : struct, IEquatable<T>, IComparable<T>
    {
        var forward = left.CompareTo(right);
        var backward = right.CompareTo(left);
        Assert.Equal(left.Equals(right), forward == 0);
        Assert.Equal(Math.Sign(forward), -Math.Sign(backward));
        Assert.Equal(0, left.CompareTo(left));
    }
}
