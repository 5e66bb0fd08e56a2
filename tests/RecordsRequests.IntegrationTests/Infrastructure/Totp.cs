using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// An authenticator app, as the tests hold it: RFC 6238 time-based codes (HMAC-SHA1, 30-second steps, six digits) over
/// an RFC 4648 base32 key. Written here from the RFCs, independently of ASP.NET Core Identity, so the tests check the
/// server against the standard rather than against itself.
/// </summary>
public static class Totp
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>The last time step whose code the tests typed, per key: the server takes each code once (RFC 6238 §5.2).</summary>
    private static readonly ConcurrentDictionary<string, long> LastStepTyped = new(StringComparer.Ordinal);

    /// <summary>
    /// The code a person would type to be let in: the one the app shows now or, when that one was already used, the
    /// next (the server allows a phone's clock to run a little ahead); past that, it waits for the app to move on.
    /// </summary>
    public static async Task<string> FreshCodeAsync(string base32Key)
    {
        while (true)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
            var last = LastStepTyped.GetOrAdd(base32Key, long.MinValue);
            var step = Math.Max(now, last + 1);
            if (step > now + 1)
            {
                await Task.Delay(TimeSpan.FromSeconds((step - 1) * 30 - DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
                continue;
            }
            if (LastStepTyped.TryUpdate(base32Key, step, last))
            {
                return CodeAt(base32Key, step);
            }
        }
    }

    /// <summary>A new 160-bit key in base32, as an enrolment would hand to a phone.</summary>
    public static string NewKey() => ToBase32(RandomNumberGenerator.GetBytes(20));

    public static string Code(string base32Key, DateTimeOffset at) => CodeAt(base32Key, at.ToUnixTimeSeconds() / 30);

    /// <summary>The code of one 30-second time step (the count of steps since 1970).</summary>
    public static string CodeAt(string base32Key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(FromBase32(base32Key), counter);
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7FFFFFFF) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string ToBase32(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }
        return text.ToString();
    }

    public static byte[] FromBase32(string text)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant().Where(c => c is not (' ' or '=' or '-')))
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a base32 letter.");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
