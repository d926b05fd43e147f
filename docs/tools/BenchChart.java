import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Draws the bench results as a PNG: one panel per scenario, one bar per target (median over the
 * rounds of the scenario's main figure), evhttp highlighted, runs with errors hatched in red.
 *
 * <pre>java docs/tools/BenchChart.java RESULTS.jsonl OUT.png</pre>
 */
public class BenchChart {

	record Panel(String scenario, String field, String unit) {
	}

	static final List<Panel> PANELS = List.of(new Panel("big", "mb_s", "MB/s, one 1 GiB upload"),
			new Panel("many", "req_s", "req/s, 32 conns x 1 MiB files"),
			new Panel("form", "req_s", "req/s, small multipart forms"), new Panel("hello", "req_s", "req/s, GET /hello"),
			new Panel("memory", "mb_s", "MB/s, 2 GiB at -Xmx64m"));

	public static void main(String[] args) throws Exception {
		List<String> lines = Files.readAllLines(Path.of(args[0]));
		List<Panel> panels = new ArrayList<>();
		Map<Panel, Map<String, List<Double>>> values = new LinkedHashMap<>();
		Map<Panel, Map<String, Boolean>> errors = new LinkedHashMap<>();
		for (Panel panel : PANELS) {
			Map<String, List<Double>> byTarget = new LinkedHashMap<>();
			Map<String, Boolean> failed = new LinkedHashMap<>();
			for (String line : lines) {
				if (!panel.scenario().equals(string(line, "scenario"))) {
					continue;
				}
				String target = string(line, "target");
				Double value = number(line, panel.field());
				if (target != null && value != null) {
					byTarget.computeIfAbsent(target, (k) -> new ArrayList<>()).add(value);
					Double err = number(line, "errors");
					failed.merge(target, err != null && err > 0, Boolean::logicalOr);
				}
			}
			if (!byTarget.isEmpty()) {
				panels.add(panel);
				values.put(panel, byTarget);
				errors.put(panel, failed);
			}
		}
		int width = 1000;
		int rowHeight = 22;
		int height = 20;
		for (Panel panel : panels) {
			height += 50 + values.get(panel).size() * rowHeight;
		}
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		int y = 20;
		for (Panel panel : panels) {
			g.setColor(new Color(0x1d2430));
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
			g.drawString(panel.scenario() + " - " + panel.unit() + " (median; higher is better)", 20, y + 16);
			y += 30;
			Map<String, List<Double>> byTarget = values.get(panel);
			double max = byTarget.values().stream().mapToDouble(BenchChart::median).max().orElse(1);
			for (Map.Entry<String, List<Double>> entry : byTarget.entrySet()) {
				double median = median(entry.getValue());
				int barWidth = (int) Math.round((width - 260) * median / max);
				boolean ours = entry.getKey().equals("evhttp");
				g.setFont(new Font(Font.SANS_SERIF, ours ? Font.BOLD : Font.PLAIN, 13));
				g.setColor(new Color(0x1d2430));
				g.drawString(entry.getKey(), 20, y + 15);
				g.setColor(ours ? new Color(0x2f6fed) : entry.getKey().equals("sink") ? new Color(0x9aa5b5)
						: new Color(0xc4ccd8));
				g.fillRect(110, y + 3, Math.max(barWidth, 1), rowHeight - 6);
				if (errors.get(panel).getOrDefault(entry.getKey(), false)) {
					g.setColor(new Color(0xd64545));
					g.setStroke(new BasicStroke(2));
					g.drawRect(110, y + 3, Math.max(barWidth, 1), rowHeight - 6);
				}
				g.setColor(new Color(0x1d2430));
				g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
				g.drawString(String.format("%,.0f", median), 118 + barWidth, y + 15);
				y += rowHeight;
			}
			y += 20;
		}
		g.dispose();
		ImageIO.write(image, "png", new File(args[1]));
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(Double::compare);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	static String string(String line, String key) {
		Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(line);
		return m.find() ? m.group(1) : null;
	}

	static Double number(String line, String key) {
		Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(line);
		return m.find() ? Double.valueOf(m.group(1)) : null;
	}

}
