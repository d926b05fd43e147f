import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens COUNT idle connections to 127.0.0.1:PORT, prints "open COUNT", and holds them until its
 * standard input closes. Run in its own JVM so that each side has its own descriptor limit.
 */
public class IdleClients {

	public static void main(String[] args) throws IOException {
		int port = Integer.parseInt(args[0]);
		int count = Integer.parseInt(args[1]);
		List<Socket> sockets = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			sockets.add(new Socket("127.0.0.1", port));
		}
		System.out.println("open " + sockets.size());
		System.out.flush();
		while (System.in.read() >= 0) {
			// hold until the parent closes our input
		}
		for (Socket s : sockets) {
			s.close();
		}
	}

}
