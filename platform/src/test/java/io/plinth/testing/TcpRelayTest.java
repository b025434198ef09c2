package io.plinth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpRelayTest {

  private ServerSocket echo;
  private TcpRelay relay;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread server =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread pump =
                      new Thread(
                          () -> {
                            try (s) {
                              s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException closed) {
                              // the relay went away
                            }
                          });
                  pump.setDaemon(true);
                  pump.start();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    server.setDaemon(true);
    server.start();
    relay = TcpRelay.to("127.0.0.1", echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    relay.close();
    echo.close();
  }

  @Test
  void relaysBothWays() throws IOException {
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
      assertThat(roundTrip(client, "hello")).isEqualTo("hello");
    }
  }

  @Test
  void aCutResetsOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
      assertThat(roundTrip(client, "before")).isEqualTo("before");
      relay.cut();
      client.setSoTimeout(5_000);
      assertThat(client.getInputStream().read()).as("the open connection ends").isEqualTo(-1);
    }
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), relay.port()).close())
        .isInstanceOf(ConnectException.class);

    relay.restore();
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
      assertThat(roundTrip(client, "after")).isEqualTo("after");
    }
  }

  private static String roundTrip(Socket client, String text) throws IOException {
    OutputStream out = client.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    InputStream in = client.getInputStream();
    byte[] read = in.readNBytes(text.length());
    return new String(read, StandardCharsets.UTF_8);
  }
}
