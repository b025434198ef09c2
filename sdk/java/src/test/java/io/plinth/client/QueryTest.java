package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryTest {

  @Test
  void everyOperatorBecomesFieldEqualsOpDotValue() {
    String query =
        Query.standalone()
            .eq("a", 1)
            .neq("b", "x")
            .gt("c", 2)
            .gte("d", 3)
            .lt("e", 4)
            .lte("f", 5)
            .like("g", "ab*")
            .ilike("h", "*CD")
            .in("i", "x", "y", "z")
            .is("j", null)
            .is("k", true)
            .toQueryString();

    assertThat(query)
        .isEqualTo(
            "a=eq.1&b=neq.x&c=gt.2&d=gte.3&e=lt.4&f=lte.5&g=like.ab*&h=ilike.*CD"
                + "&i=in.%28x%2Cy%2Cz%29&j=is.null&k=is.true");
  }

  @Test
  void orderSelectLimitCountAndCursorFollowTheConditions() {
    String query =
        Query.standalone()
            .eq("status", "open")
            .orderDesc("createdAt")
            .orderAsc("title")
            .select("title", "status")
            .limit(10)
            .countExact()
            .after("abc=")
            .toQueryString();

    assertThat(query)
        .isEqualTo(
            "status=eq.open&order=createdAt.desc%2Ctitle.asc&select=title%2Cstatus&limit=10"
                + "&count=exact&after=abc%3D");
  }

  @Test
  void valuesAreEncodedSoTheyCannotAddParameters() {
    assertThat(Query.standalone().eq("title", "a b&limit=1").toQueryString())
        .isEqualTo("title=eq.a%20b%26limit%3D1");
  }

  @Test
  void anInValueWithACommaIsRefusedAsThePlatformCouldNotTellItApart() {
    assertThatThrownBy(() -> Query.standalone().in("title", "a,b", "c"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyQueryHasAnEmptyString() {
    assertThat(Query.standalone().toQueryString()).isEmpty();
  }
}
