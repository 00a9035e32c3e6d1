using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Summit.Gateway.Accounts;
using Summit.Data.Accounts;
using Summit.Time;

namespace Summit.Gateway.Security;

/// <summary>Issues the HMAC-SHA256 JWTs that <c>POST /api/auth/token</c> hands out.</summary>
public sealed class TokenIssuer(SummitSigningKey signingKey, IOptions<SummitAuthOptions> options, WallClock clock)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public (string Token, TimeSpan Lifetime) Issue(StoredAccount account)
    {
        var auth = options.Value;
        // Real time: token lifetimes are checked against the real clock, whatever the demo clock says.
        var now = clock.GetCurrentInstant().ToDateTimeUtc();
        var claims = SummitPrincipal.ClaimsOf(account)
            .Append(new Claim(JwtRegisteredClaimNames.Sub, account.Account.Username))
            .Append(new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")));
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + auth.TokenLifetime,
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, auth.TokenLifetime);
    }
}
