// Expected signatures were computed outside this code base, with
//   printf '%s' "<message>" | openssl dgst -sha256 -hmac "<secret>" -binary | base64
// over messages written out by hand, and expected URLs match Python's urllib.parse.urlencode.
import { canonicalQuery, canonicalUrl, sign, signedHeaders } from "../../provider/signing";

const accessKey = "2sd2gg=2agbdSD26svcD";
const timestamp = "1605290625682";

describe("request signing known answers", () => {
  test("sorted query keys with a space encoded as +", () => {
    const url = canonicalUrl("https://virtualserver.kr-west1.s.samsungsdscloud.com", "/v1/servers", {
      state: "ACTIVE",
      name: "web server",
      limit: 20,
    });
    expect(url).toBe(
      "https://virtualserver.kr-west1.s.samsungsdscloud.com/v1/servers?limit=20&name=web+server&state=ACTIVE",
    );
    expect(sign({ method: "get", url, timestamp, accessKey, secretKey: "secret-key-1" })).toBe(
      "m2Wu06Glo3QIwAvapuRAPDP6Zm0qEviXHJRPLIVFMAY=",
    );
  });

  test("non-ASCII values are UTF-8 percent-encoded and repeated keys keep their order", () => {
    const url = canonicalUrl("https://virtualserver.kr-west1.s.samsungsdscloud.com/", "/v1/servers", {
      product_offering: ["gpu_server", "virtual_server"],
      name: "서버",
    });
    expect(url).toBe(
      "https://virtualserver.kr-west1.s.samsungsdscloud.com/v1/servers?name=%EC%84%9C%EB%B2%84&product_offering=gpu_server&product_offering=virtual_server",
    );
    expect(sign({ method: "GET", url, timestamp, accessKey, secretKey: "secret-key-1" })).toBe(
      "lkPj/WWs9Hw6kUxKKjz+p/e0QoHRSNgfneIYrIazyVM=",
    );
  });

  test("an escaped path segment is signed as sent", () => {
    const url = "http://127.0.0.1:8080/v1/keypairs/a%2F..%2Fb";
    expect(sign({ method: "DELETE", url, timestamp, accessKey, secretKey: "secret-key-1" })).toBe(
      "sxGJM63cLvDij7/r0NfoHcAtKiUW0XtCheOnqbIitEQ=",
    );
  });

  test("account id takes part in the message", () => {
    const url = "https://virtualserver.kr-south1.g.samsungsdscloud.com/v1/keypairs";
    expect(
      sign({
        method: "POST",
        url,
        timestamp: "1700000000000",
        accessKey: "AKIDEXAMPLE",
        accountId: "acc-123",
        secretKey: "s3cr3t/+=",
      }),
    ).toBe("k22GWDKoQAOOD1debVww5uEARaiZw/OgzT3BWUDwL7Q=");
  });

  test("reserved characters are encoded like Python's quote_plus (~ kept, *'! encoded)", () => {
    expect(canonicalQuery({ sort: "created_at:desc", name: "a*b~c'd!" })).toBe(
      "name=a%2Ab~c%27d%21&sort=created_at%3Adesc",
    );
    const url = canonicalUrl("https://virtualserver.kr-west1.s.samsungsdscloud.com", "/v1/images", {
      sort: "created_at:desc",
      name: "a*b~c'd!",
    });
    expect(sign({ method: "GET", url, timestamp, accessKey, secretKey: "secret-key-1" })).toBe(
      "VxvkJLX4A764d74aaZH14lRPKIJUrmhPzPAh6YNRCy4=",
    );
  });

  test("undefined and null query values are left out", () => {
    expect(canonicalQuery({ a: undefined, b: null, c: false })).toBe("c=false");
  });

  test("signed headers carry the timestamp that was signed", () => {
    const headers = signedHeaders({ method: "GET", url: "http://h/v1/x", accessKey: "ak", secretKey: "sk" }, 1234);
    expect(headers["Scp-Timestamp"]).toBe("1234");
    expect(headers["Scp-ClientType"]).toBe("Openapi");
    expect(headers["Scp-Signature"]).toBe(
      sign({ method: "GET", url: "http://h/v1/x", timestamp: "1234", accessKey: "ak", secretKey: "sk" }),
    );
    expect(headers).not.toHaveProperty("Scp-AccountId");
  });
});
